"""``python3 -m benchmarks.render_seeds``: render the seeds to PDF (see :mod:`.render`)."""

from .render import main

raise SystemExit(main())
