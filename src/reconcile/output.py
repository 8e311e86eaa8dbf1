"""Where the commands write: standard output or ``-o FILE``, safely.

* :func:`check_output` refuses, before any work, an output in a missing folder, on a
  directory, or on one of the input files (compared as resolved paths and by inode);
* :func:`write_stdout` writes and flushes; a closed pipe (``| head``) is quiet, any
  other failure (a full disk: ENOSPC) is an :class:`OutputError`;
* :func:`write_file` writes a file through a temporary file beside it, renamed over the
  target when complete (a failure leaves an existing file as it was), and says on
  standard error what was written. A target that is not a regular file (``/dev/full``,
  ``/dev/null``) is made in a temporary folder and copied to it.
"""

from __future__ import annotations

import contextlib
import errno
import gc
import os
import shutil
import stat
import sys
import tempfile
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path

__all__ = ["OutputError", "check_output", "describe_os_error", "write_file", "write_stdout"]


class OutputError(Exception):
    """The output cannot be written (exit code 2)."""


def describe_os_error(exc: OSError) -> str:
    """``No space left on device (ENOSPC)``: the message and the errno name."""
    name = errno.errorcode.get(exc.errno or 0)
    message = exc.strerror or str(exc) or type(exc).__name__
    return f"{message} ({name})" if name else message


def check_output(output: str, inputs: Sequence[str]) -> None:
    """Raise OutputError unless ``output`` can be written without harm."""
    out = Path(output)
    if out.is_dir():
        raise OutputError(f"cannot write {output}: it is a directory")
    parent = out.parent if str(out.parent) else Path(".")
    if not parent.is_dir():
        raise OutputError(f"cannot write {output}: the folder {parent} does not exist")
    for src in inputs:
        if _same_file(out, Path(src)):
            raise OutputError(f"cannot write {output}: it is the input file {src}; choose another -o FILE")


def _same_file(a: Path, b: Path) -> bool:
    try:
        if a.resolve() == b.resolve():
            return True
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def _quiet_stdout() -> None:
    """Point standard output at /dev/null, so that the flush at exit cannot fail again."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


def write_stdout(text: str) -> None:
    """Write ``text`` to standard output; a closed pipe is quiet, a failed write an OutputError."""
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        _quiet_stdout()
    except OSError as exc:
        _quiet_stdout()
        raise OutputError(f"cannot write to standard output: {describe_os_error(exc)}") from exc


def _size(n: int) -> str:
    if n < 1024:
        return f"{n} bytes"
    if n < 1024 * 1024:
        return f"{round(n / 1024)} KB"
    return f"{n / (1024 * 1024):.1f} MB"


def write_file(output: str, fmt: str, write: Callable[[Path], object]) -> None:
    """Call ``write(path)`` to make ``output``, then print ``reconcile: wrote FILE (FMT, SIZE)`` on standard error.

    The renderer always writes a regular temporary file: beside a regular (or new) target,
    then renamed over it; for a device (``/dev/full``), in a temporary folder, then copied.
    An OSError (a full disk) removes the temporary file and raises OutputError.
    """
    out = Path(output)
    device = out.exists() and not stat.S_ISREG(out.stat().st_mode)
    with tempfile.TemporaryDirectory(prefix="reconcile-") if device else contextlib.nullcontext(None) as tmp_dir:
        folder = Path(tmp_dir) if tmp_dir else out.parent
        target = folder / f".{out.stem}.{os.getpid()}.tmp{out.suffix}"
        try:
            write(target)
            if device:
                shutil.copyfile(target, out)
            else:
                os.replace(target, out)
        except BaseException as exc:
            with contextlib.suppress(OSError):
                target.unlink()
            if isinstance(exc, OSError):
                _release(exc)
                raise OutputError(f"cannot write {output}: {describe_os_error(exc)}") from None
            raise
    shown = fmt if device else f"{fmt}, {_size(out.stat().st_size)}"
    print(f"reconcile: wrote {output} ({shown})", file=sys.stderr)


def _release(exc: BaseException) -> None:
    """Free what the failed writer left open (a zip file closing on a full disk) without a message."""
    hook = sys.unraisablehook
    sys.unraisablehook = lambda unraisable: None
    try:
        traceback.clear_frames(exc.__traceback__)
        exc.__traceback__ = None
        gc.collect()
    finally:
        sys.unraisablehook = hook
