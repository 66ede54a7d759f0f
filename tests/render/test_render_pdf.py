"""Compiling derivations to PDF: whole files or nothing, and a clear message without pdflatex."""

import shutil

import pytest

import symbackslash as sb
from symbackslash.errors import RenderError
from symbackslash.render import pdf

needs_pdflatex = pytest.mark.skipif(
    shutil.which("pdflatex") is None,
    reason="pdflatex is not installed (Debian: texlive-latex-base, texlive-latex-recommended); "
           ".ci/run installs it")


@needs_pdflatex
def test_a_derivation_compiles_to_a_pdf_file(tmp_path):
    path = sb.save_pdf(sb.derivation("a = x*y; f = sin(a)", at={"x": 1, "y": 2}),
                       tmp_path / "d.pdf")
    assert path.read_bytes().startswith(b"%PDF") and path.stat().st_size > 1000
    assert [p.name for p in tmp_path.iterdir()] == ["d.pdf"]   # no .aux, .log, temporaries


@needs_pdflatex
def test_a_broken_document_writes_nothing_and_quotes_the_error(tmp_path):
    broken = "\\documentclass{article}\\begin{document}\\undefinedmacro\\end{document}"
    with pytest.raises(RenderError, match="pdflatex failed: ! Undefined control sequence"):
        sb.save_pdf(broken, tmp_path / "d.pdf")
    assert list(tmp_path.iterdir()) == []


def test_without_pdflatex_the_error_says_how_to_install_it(monkeypatch, tmp_path):
    monkeypatch.setattr(pdf.shutil, "which", lambda name: None)
    assert not sb.pdflatex_available()
    with pytest.raises(RenderError, match="pdflatex is not installed: install a TeX"):
        sb.save_pdf(sb.derivation("x*y"), tmp_path / "d.pdf")
    assert list(tmp_path.iterdir()) == []


def test_only_documents_are_compiled(tmp_path):
    with pytest.raises(RenderError, match="not int"):
        pdf.pdf_bytes(42)
    with pytest.raises(RenderError, match="does not exist"):
        sb.save_pdf("x", tmp_path / "missing" / "d.pdf")
