"""Benchmarks and test-corpus tools of reconcile, kept out of the installed package.

Run from the repository root (each has a thin entry point in scripts/ too):

    python3 -m benchmarks.bench_mutation   # mutation + gold benchmark -> docs/benchmark.md
    python3 -m benchmarks.bench_blind      # blind mutation (coverage) -> docs/benchmark_blind.md
    python3 -m benchmarks.eval_gold        # gold annotation score (spans)
    python3 -m benchmarks.bench_pdf        # PDF path against bare pdfplumber
    python3 -m benchmarks.bench_batch      # ``reconcile batch`` throughput
    python3 -m benchmarks.render_seeds     # the seeds rendered to PDF (corpora/rendered/)

Library parts: :mod:`benchmarks.mutation` (single-error mutants and whether they are
caught), :mod:`benchmarks.evaluation` (a report scored against a gold annotation by
spans), :mod:`benchmarks.corpus` (the mutation benchmark's clean documents),
:mod:`benchmarks.runner` (the checker run on every mutant) and :mod:`benchmarks.gold`
(the gold part of the benchmark page, by lines).
"""
