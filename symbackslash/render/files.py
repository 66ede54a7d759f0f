"""Writing figures and documents: whole files or nothing.

Every file is written to a temporary file in the target directory and renamed over the
target (``os.replace`` is atomic on POSIX and Windows), so a failure never leaves a half
written file behind. Only a regular file is ever replaced: a device, a named pipe, a socket
or a directory at the target is refused with a :class:`~symbackslash.RenderError`.

>>> import pathlib, tempfile
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> write_atomic(folder / "note.txt", b"done").read_bytes()
b'done'
>>> sorted(p.name for p in folder.iterdir())
['note.txt']
"""

from __future__ import annotations

import io
import os
import secrets
import stat
from pathlib import Path

from matplotlib.axes import Axes
from matplotlib.figure import FigureBase

from ..errors import RenderError, boundary

__all__ = ["write_atomic", "check_writable", "figure_bytes", "save_figure", "FIGURE_FORMATS"]

#: File suffixes a figure can be saved as.
FIGURE_FORMATS = ("png", "svg", "pdf")


def write_atomic(path, data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file and a rename; return the path.

    Raises
    ------
    RenderError
        If the directory does not exist or the file cannot be written.
    """
    path = check_writable(path)
    temporary = path.parent / f".{path.name}.{secrets.token_hex(6)}.tmp"
    try:  # mode 0o666 less the umask, like any new file (mkstemp would make it private)
        handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except OSError as err:
        raise RenderError(f"cannot write {path}: {err.strerror or err}") from err
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        check_writable(path)  # again: something may have appeared there meanwhile
        os.replace(temporary, path)
    except OSError as err:
        Path(temporary).unlink(missing_ok=True)
        raise RenderError(f"cannot write {path}: {err.strerror or err}") from err
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def check_writable(path) -> Path:
    """``path`` as a Path, after checking that its directory exists and that nothing but a
    regular file is there (so that errors come before any work, and a device, a named pipe,
    a socket or a directory is never replaced by the rename).

    >>> try:
    ...     check_writable("/dev/null")
    ... except RenderError as err:
    ...     print(str(err).split(";")[0])
    cannot write /dev/null: it is a character device, not a regular file
    """
    path = Path(path)
    if not path.parent.is_dir():
        raise RenderError(f"cannot write {path}: the directory {path.parent} does not exist")
    if path.is_dir():
        raise RenderError(f"cannot write {path}: it is a directory")
    try:
        mode = path.stat().st_mode
    except OSError:  # nothing there (or a dangling link): a new regular file is made
        return path
    if not stat.S_ISREG(mode):
        raise RenderError(f"cannot write {path}: it is {_kind(mode)}, not a regular file; "
                          f"choose the path of a regular file")
    return path


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
                       (stat.S_ISFIFO, "a named pipe"), (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return name
    return "a special file"


def figure_bytes(fig, fmt: str = "png", *, dpi: float = 150) -> bytes:
    """A matplotlib figure as the bytes of a PNG, SVG or PDF file (trimmed to its content).

    Works for figures made with or without pyplot.
    """
    if fmt not in FIGURE_FORMATS:
        raise RenderError(f"cannot save a figure as {fmt!r}; use one of "
                          f"{', '.join(FIGURE_FORMATS)}")
    buffer = io.BytesIO()
    fig.savefig(buffer, format=fmt, dpi=dpi, bbox_inches="tight", pad_inches=0.1,
                facecolor="white", metadata=_metadata(fmt))
    return buffer.getvalue()


def _metadata(fmt: str) -> dict:
    """No dates or versions in the files, so regenerated figures are byte-stable."""
    if fmt == "png":
        return {"Software": None}
    if fmt == "svg":
        return {"Date": None}
    return {"CreationDate": None, "Producer": None}


@boundary
def save_figure(fig, path, *, dpi: float = 150) -> Path:
    """Save a figure atomically; the format follows the suffix (.png, .svg or .pdf).

    ``fig`` is a matplotlib Figure or Axes (what ``draw_graph``, ``draw_matrix`` and
    ``draw_system`` return): an Axes is saved with the whole figure it is drawn in.
    """
    path = Path(path)
    if isinstance(fig, Axes):
        fig = fig.figure
    if not isinstance(fig, FigureBase):
        raise RenderError(f"save_figure needs a matplotlib Figure or Axes (what draw_graph "
                          f"and draw_matrix return), not {type(fig).__name__}")
    return write_atomic(path, figure_bytes(fig, path.suffix.lstrip(".").lower(), dpi=dpi))
