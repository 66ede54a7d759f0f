"""The command line."""

import os
import shutil
import signal
import stat
import subprocess
import sys
import time

import pytest
from PIL import Image

from symbackslash import interrupt
from symbackslash.cli import main
from symbackslash.render import pdf


def test_grad_prints_graph_system_steps_and_gradient(capsys):
    assert main(["grad", "sin(x*y) + x*y", "--wrt", "x", "y"]) == 0
    out = capsys.readouterr().out
    for piece in ["v1 = x*y", "v2 = sin(v1)", "(I - L)^T", "Back substitution", "x_bar =",
                  "df/dx = x_bar = y*(cos(v1) + 1) = y*(cos(x*y) + 1)"]:
        assert piece in out


def test_forward_mode(capsys):
    assert main(["grad", "a = x*y; f = sin(a)", "--mode", "forward"]) == 0
    out = capsys.readouterr().out
    assert "Forward substitution" in out and "I - L" in out
    assert "df/dx = y*cos(a) = y*cos(x*y)" in out


def test_errors_are_one_line_and_nonzero(capsys):
    assert main(["grad", "x.__class__"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("symbackslash: error: attribute access") and err.count("\n") == 1


def test_python_dash_m():
    result = subprocess.run([sys.executable, "-m", "symbackslash", "grad", "x*y", "--wrt", "x"],
                            capture_output=True, text=True, check=True)
    assert "df/dx = y" in result.stdout


def test_files_latex_figure_matrix_storyboard_paths(tmp_path, capsys):
    names = {"latex": "d.tex", "figure": "g.svg", "matrix": "m.png", "storyboard": "s.gif",
             "paths": "p.pdf"}
    args = ["grad", "a = x*y; f = sin(a)", "--at", "x=1", "y=2", "--quiet"]
    for option, name in names.items():
        args += [f"--{option}", str(tmp_path / name)]
    assert main(args) == 0
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.count("wrote ") == 5
    tex = (tmp_path / "d.tex").read_text()
    assert tex.startswith(r"\documentclass") and r"\bar{a} &= " in tex
    assert b"<svg" in (tmp_path / "g.svg").read_bytes()
    assert (tmp_path / "m.png").read_bytes().startswith(b"\x89PNG")
    assert Image.open(tmp_path / "s.gif").n_frames == 4  # one per node: x, y, a, f
    assert (tmp_path / "p.pdf").read_bytes().startswith(b"%PDF")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(names.values())


def test_a_failure_writes_no_file_at_all(tmp_path, capsys):
    good, bad = tmp_path / "g.png", tmp_path / "s.bmp"
    assert main(["grad", "x*y", "--figure", str(good), "--storyboard", str(bad)]) == 2
    assert "use .png (a grid) or .gif" in capsys.readouterr().err
    assert main(["grad", "x*y", "--latex", str(tmp_path / "d.tex"),
                 "--matrix", str(tmp_path / "no" / "m.png")]) == 2
    assert "directory" in capsys.readouterr().err
    assert not list(tmp_path.iterdir())


def test_point_values(capsys):
    assert main(["grad", "sin(x*y) + x*y", "--at", "x=1", "y=1/2"]) == 0
    out = capsys.readouterr().out
    assert "df/dx = x_bar = y*(cos(v1) + 1) = y*(cos(x*y) + 1) = 0.938791" in out
    assert main(["grad", "x*y", "--at", "x"]) == 2
    assert "write NAME=VALUE" in capsys.readouterr().err
    assert main(["grad", "x*y", "--at", "z=1"]) == 2
    # it listed every node name (v1, f, …) as a variable; the inputs are what to give
    assert "'z' is not a variable of the function; its variables are: x, y\n" in \
        capsys.readouterr().err
    assert main(["grad", "a = x*y; f = sin(a)", "--at", "x=1,y=2"]) == 2
    assert "one NAME=VALUE per argument, separated by spaces" in capsys.readouterr().err
    for at, message in [(["b=5"], "b is an intermediate node"), (["f=100"], "f is the output"),
                        (["x=1", "x=2"], "x is given twice")]:
        assert main(["grad", "b = x*y; f = sin(b)", "--at", *at]) == 2
        assert message in capsys.readouterr().err


def test_matrix_expression_with_shapes():
    # symbackslash grad "trace(A*X) + log(det(X))" --wrt X --shape A=3x3 X=3x3
    result = run_cli("grad", "trace(A*X) + log(det(X))", "--wrt", "X", "--shape", "A=3x3", "X=3x3")
    assert result.returncode == 0 and result.stderr == ""
    out = result.stdout
    for piece in ["f(A, X) = log(Determinant(X)) + Trace(A*X)", "V1 = A*X", "dV1/dX = L_A",
                  "Back substitution",
                  "df/dX = X_bar = (Determinant(X)/v2)*X.T**(-1) + A.T = X.T**(-1) + A.T"]:
        assert piece in out


@pytest.mark.parametrize("args, message", [
    (["--shape", "A=3x3", "X=3"], "--shape 'X=3': write NAME=ROWSxCOLUMNS"),
    (["--shape", "A=3x3", "X3x3"], "--shape 'X3x3': write NAME=ROWSxCOLUMNS"),
    (["--shape", "A=3x3", "X=-3x3"], "write NAME=ROWSxCOLUMNS"),
    (["--shape", "A=3x3", "X=1234567890x1"], "at most 9 digits"),
    (["--shape", "A=3x3", "X=3x3", "A=3x3"], "--shape 'A=3x3': A is given twice"),
    (["--shape", "A=3x3", "X=3x3", "B=2x2"],
     "a shape is given for B, which the expression does not use"),
    (["--shape", "A=3x3", "X=0x3"], "the shape of X is 0 × 3"),
    (["--shape", "A=3x3", "X=99999999x9"], "has more than 1000000 entries"),
    (["--shape", "A=3x2", "X=3x3"], "the matrix product A * X multiplies 3 × 2 by 3 × 3"),
    (["--shape", "A=3x3", "X=3x3", "--at", "X=1"],
     "--at X=...: X is a 3 x 3 matrix (--shape); --at gives numbers to the variables of a "
     "scalar function only, so leave --at out"),
    (["--shape", "A=3x3", "X=3x3", "--at", "c=1"],
     "--at c=...: the function has matrices (--shape); --at gives numbers"),
])
def test_bad_shapes_fail_in_one_line(args, message, capsys):
    assert main(["grad", "trace(A*X) + log(det(X))", *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("symbackslash: error: ") and err.count("\n") == 1
    assert message in err


def test_help_describes_shapes(capsys):
    with pytest.raises(SystemExit):
        main(["grad", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert "--shape NAME=MxN [NAME=MxN ...]" in help_text
    assert "trace(X), det(X)" in help_text and "(scalar functions only, not with --shape)" \
        in help_text


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_special_files_are_refused_not_replaced(tmp_path, capsys):
    pipe = tmp_path / "pipe.tex"
    os.mkfifo(pipe)
    assert main(["grad", "x*y", "--quiet", "--latex", str(pipe)]) == 2
    assert "it is a named pipe, not a regular file" in capsys.readouterr().err
    assert stat.S_ISFIFO(pipe.stat().st_mode)
    assert main(["grad", "x*y", "--quiet", "--pdf", "/dev/null"]) == 2
    assert "it is a character device" in capsys.readouterr().err


# --------------------------------------------------------------------------- failures


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "symbackslash", *args], capture_output=True,
                          text=True, timeout=60)


def test_hostile_input_fails_in_one_line_and_runs_nothing(tmp_path):
    canary = tmp_path / "canary"
    result = run_cli("grad", f"__import__('os').system('touch {canary}')")
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith("symbackslash: error: calling anything but a named "
                                    "function is not allowed (line 1, column 1)")
    assert not canary.exists()


def test_resource_limit_in_one_line_names_the_limit():
    result = run_cli("grad", "(" * 300 + "x" + ")" * 300)
    assert result.returncode == 2 and result.stderr.count("\n") == 1
    assert "[limit python_parser;" in result.stderr


def test_debug_shows_the_traceback():
    result = run_cli("--debug", "grad", "x.y")
    assert result.returncode != 0 and "Traceback" in result.stderr
    assert "UnsafeInputError" in result.stderr


def test_internal_errors_and_interrupts_are_one_line_too(monkeypatch, capsys):
    import symbackslash.cli as cli

    def broken(*args, **kwargs):
        raise RuntimeError("line one\nline two")

    monkeypatch.setattr(cli, "derivation", broken)
    assert main(["grad", "x*y"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "internal error: RuntimeError: line one line two" in err

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "derivation", interrupted)
    assert main(["grad", "x*y"]) == 130
    assert capsys.readouterr().err == "symbackslash: interrupted\n"


@pytest.mark.parametrize("command", [["-m", "symbackslash"], ["symbackslash"]])
def test_ctrl_c_while_the_command_line_starts_exits_130_in_one_line(command):
    # Before: a KeyboardInterrupt traceback from inside SymPy's import, status −2.
    script = shutil.which("symbackslash", path=os.path.dirname(sys.executable))
    argv = [sys.executable, *command[:2]] if command[0] == "-m" else [script]
    process = subprocess.Popen([*argv, "grad", "x*y"], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    time.sleep(0.4)  # inside the imports, which take over a second
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 130 and err == "symbackslash: interrupted\n" and out == ""


def test_a_library_import_keeps_python_s_ctrl_c():
    assert not interrupt.is_command_line()  # this process is pytest
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_a_failure_prints_no_partial_output(capsys):
    assert main(["grad", "a = x\nb = a\nf = b + log(0)"]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "log(0) is not a finite real number" in captured.err


def test_pdf_file(tmp_path, capsys):
    if shutil.which("pdflatex") is None:
        pytest.skip("pdflatex is not installed (Debian: texlive-latex-base, "
                    "texlive-latex-recommended); .ci/run installs it")
    assert main(["grad", "a = x*y; f = sin(a)", "--pdf", str(tmp_path / "d.pdf"), "--quiet"]) == 0
    assert (tmp_path / "d.pdf").read_bytes().startswith(b"%PDF")
    assert [p.name for p in tmp_path.iterdir()] == ["d.pdf"]


def test_pdf_without_pdflatex_is_an_error_and_writes_nothing(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(pdf.shutil, "which", lambda name: None)
    assert main(["grad", "x*y", "--latex", str(tmp_path / "d.tex"),
                 "--pdf", str(tmp_path / "d.pdf")]) == 2
    assert "pdflatex is not installed" in capsys.readouterr().err
    assert not list(tmp_path.iterdir())


def test_values_at_a_point_with_huge_exact_fractions_are_shown_rounded(capsys):
    assert main(["grad", "x**10000", "--at", "x=1.000000001"]) == 0
    expected = 10000 * 1.000000001 ** 9999   # an independent float evaluation
    assert f"df/dx = x_bar = 10000*x**9999 = {expected:.6g}" in capsys.readouterr().out


def test_wrt_names_that_are_not_names_are_refused(capsys):
    # --wrt x,y was one variable "x,y", not in the function: df/dx,y = 0, silently
    assert main(["grad", "sin(x*y) + x*y", "--wrt", "x,y", "--quiet"]) == 2
    assert "wrt[0] = 'x,y' is not a name" in capsys.readouterr().err
    assert main(["grad", "sin(x*y) + x*y", "--wrt", "x", "y"]) == 0
    assert "df/dy = y_bar = x*(cos(v1) + 1)" in capsys.readouterr().out


def test_a_variable_that_does_not_occur_is_a_one_line_warning():
    # Before: Python's warning format, with our source file and line under it.
    result = subprocess.run([sys.executable, "-m", "symbackslash", "grad", "x*y", "--wrt", "x",
                             "z"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and "df/dz = 0" in result.stdout
    assert result.stderr == ("symbackslash: warning: wrt[1] = z does not occur in the function "
                             "(its inputs: x, y); its derivative is 0. Check the spelling.\n")
