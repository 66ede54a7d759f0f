"""Compiling derivations to PDF: whole files or nothing, and a clear message without pdflatex."""

import shutil

import pytest

import symbackslash as sb
from symbackslash.errors import RenderError
from symbackslash.printing.latex import latex
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


SECRET = "\\errmessage{LEAKED: the secret file was read}\n"


@needs_pdflatex
@pytest.mark.parametrize("how", ["function", "activation"])
def test_a_name_made_of_tex_commands_is_shown_not_run(how, tmp_path):
    import sympy as sp
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET)
    name = r"\text{\input{%s}}" % secret
    if how == "function":
        x = sp.Symbol("x")
        document = sb.derivation(sp.Function(name)(x) * x).document()
    else:
        z = sp.Symbol("z")
        net = sb.mlp([1, 1], batch=1, activations=[sp.Lambda(z, sp.Function(name)(z))])
        document = ("\\documentclass{article}\\usepackage{amsmath}\\begin{document}$%s$ "
                    "$%s$\\end{document}" % (latex(net.outputs[-1]), latex(net.M)))
    assert "\\textbackslash{}input" in document  # the name is shown, escaped
    assert "\\input" not in document.replace("\\textbackslash{}input", "")
    data = pdf.pdf_bytes(document)   # compiles, and LEAKED was not raised: the name is text
    assert data.startswith(b"%PDF")


@needs_pdflatex
def test_pdflatex_reads_no_file_outside_its_folder(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET)
    document = ("\\documentclass{article}\\begin{document}\\input{%s}\\end{document}"
                % secret)
    with pytest.raises(RenderError, match="not found"):
        pdf.pdf_bytes(document)


@pytest.mark.skipif(not hasattr(__import__("signal"), "SIGTERM") or shutil.which("sh") is None,
                    reason="POSIX signals")
@pytest.mark.parametrize("how", ["SIGINT", "SIGTERM"])
def test_stopping_the_cli_during_pdflatex_leaves_no_folder_and_no_pdflatex(how, tmp_path):
    import os
    import signal
    import subprocess
    import sys
    import time
    fake = tmp_path / "bin"
    fake.mkdir()
    marker = tmp_path / "pdflatex.pid"
    (fake / "pdflatex").write_text(f"#!/bin/sh\necho $$ > {marker}\nexec sleep 60\n")
    (fake / "pdflatex").chmod(0o755)
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    env = {**os.environ, "PATH": f"{fake}{os.pathsep}{os.environ['PATH']}",
           "TMPDIR": str(temporary)}
    cli = subprocess.Popen([sys.executable, "-m", "symbackslash", "grad", "x*y", "--quiet",
                            "--pdf", str(tmp_path / "d.pdf")], env=env,
                           stderr=subprocess.PIPE, text=True)
    for _ in range(600):                      # until pdflatex runs (at most a minute)
        if marker.exists() and marker.read_text().strip():
            break
        time.sleep(0.1)
    assert list(temporary.iterdir())          # the compilation's folder exists
    cli.send_signal(getattr(signal, how))
    status = cli.wait(timeout=30)
    assert status == (130 if how == "SIGINT" else 143), cli.stderr.read()
    assert list(temporary.iterdir()) == []    # no folder left
    assert not (tmp_path / "d.pdf").exists()
    pid = int(marker.read_text())
    for _ in range(50):                       # pdflatex was killed (and reaped)
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.1)
    else:
        raise AssertionError("pdflatex is still running")
