"""Compiling a derivation to PDF with pdflatex, when it is installed.

:func:`pdf_bytes` runs ``pdflatex`` on a LaTeX document in a temporary directory of its own
(no shell escape, no prompts, a time-out, reading and writing only
inside that directory: ``openin_any=p``) and returns the PDF; :func:`save_pdf` writes it
atomically, so a failed compilation leaves no file behind, neither the PDF nor pdflatex's
auxiliary files. Without pdflatex both raise :class:`~symbackslash.RenderError`
saying how to install it; :func:`pdflatex_available` asks first.

::

    import symbackslash as sb
    if sb.pdflatex_available():
        sb.save_pdf(sb.derivation("sin(x*y) + x*y", at={"x": 1, "y": 2}), "derivation.pdf")
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import RenderError, boundary
from .files import check_writable, write_atomic

__all__ = ["pdflatex_available", "pdf_bytes", "save_pdf", "INSTALL_HINT"]

#: What to tell a user without pdflatex.
INSTALL_HINT = ("install a TeX distribution with pdflatex (Debian/Ubuntu: apt-get install "
                "texlive-latex-base texlive-latex-recommended texlive-latex-extra; macOS: MacTeX; "
                "Windows: MiKTeX)")


@boundary
def pdflatex_available() -> bool:
    """Whether ``pdflatex`` is on the PATH."""
    return shutil.which("pdflatex") is not None


def _document(document) -> str:
    """The LaTeX text of a document: a string, or anything with ``.document()`` (a
    :class:`~symbackslash.Derivation`)."""
    if hasattr(document, "document"):
        document = document.document()
    if not isinstance(document, str):
        raise RenderError(f"expected a LaTeX document (text) or a Derivation, not "
                          f"{type(document).__name__}")
    return document


def _first_error(log: str) -> str:
    """pdflatex's first error message (the line starting with ``!`` and the next one)."""
    lines = log.splitlines()
    for k, line in enumerate(lines):
        if line.startswith("!"):
            return " ".join(s.strip() for s in lines[k:k + 2])
    return lines[-1].strip() if lines else "no log"


@boundary
def pdf_bytes(document, *, timeout: float = 120) -> bytes:
    """Compile a LaTeX document (text, or a :class:`~symbackslash.Derivation`) and return
    the bytes of the PDF.

    Raises
    ------
    RenderError
        If pdflatex is not installed, fails (the message quotes its first error) or takes
        longer than ``timeout`` seconds.
    """
    tex = _document(document)
    program = shutil.which("pdflatex")
    if program is None:
        raise RenderError(f"pdflatex is not installed: {INSTALL_HINT}")
    with tempfile.TemporaryDirectory(prefix="symbackslash-pdf-") as folder:
        source = Path(folder) / "derivation.tex"
        source.write_text(tex, encoding="utf-8")
        result = _run([program, "-no-shell-escape", "-halt-on-error", "-interaction=nonstopmode",
                       source.name], folder, timeout)
        pdf = source.with_suffix(".pdf")
        if result.returncode != 0 or not pdf.is_file():
            raise RenderError(f"pdflatex failed: {_first_error(result.stdout)}")
        return pdf.read_bytes()


#: pdflatex's environment: reading files is restricted to the folder of the document
#: (``openin_any=p``: no absolute paths, no ``..``), writing too, so a name that reaches the
#: ``.tex`` as commands still cannot put a local file into the PDF.
_TEX_ENVIRONMENT = {"openin_any": "p", "openout_any": "p", "shell_escape": "f"}


def _run(command: list[str], folder: str, timeout: float) -> subprocess.CompletedProcess:
    """Run pdflatex in ``folder``; it is killed if this process is interrupted (Ctrl-C,
    a time-out, or SIGTERM in the command line, which unwinds the same way). No code runs
    in the child before pdflatex (``preexec_fn`` can deadlock a multithreaded process)."""
    process = subprocess.Popen(command, cwd=folder, stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               errors="replace", env={**os.environ, **_TEX_ENVIRONMENT})
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        raise RenderError(f"pdflatex took longer than {timeout:g} s; the document was "
                          f"not compiled") from None
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    return subprocess.CompletedProcess(command, process.returncode, stdout, stderr)


@boundary
def save_pdf(document, path, *, timeout: float = 120) -> Path:
    """Compile a LaTeX document (text, or a :class:`~symbackslash.Derivation`) and write the
    PDF to ``path`` atomically; return the path. Raises as :func:`pdf_bytes`."""
    path = check_writable(path)
    return write_atomic(path, pdf_bytes(document, timeout=timeout))
