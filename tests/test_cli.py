"""The command line."""

import subprocess
import sys

from symbackslash.cli import main


def test_grad_prints_graph_system_steps_and_gradient(capsys):
    assert main(["grad", "sin(x*y) + x*y", "--wrt", "x", "y"]) == 0
    out = capsys.readouterr().out
    for piece in ["v1 = x*y", "v2 = sin(v1)", "(I - L)^T", "Back substitution", "x_bar =",
                  "df/dx = x_bar = y*(cos(v1) + 1) = y*(cos(x*y) + 1)"]:
        assert piece in out


def test_forward_mode(capsys):
    assert main(["grad", "a = x*y; f = sin(a)", "--mode", "forward"]) == 0
    out = capsys.readouterr().out
    assert "Forward substitution" in out and "I - L" in out and "df/dx = y*cos(a) = y*cos(x*y)" in out


def test_errors_are_one_line_and_nonzero(capsys):
    assert main(["grad", "x.__class__"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("symbackslash: error: attribute access") and err.count("\n") == 1


def test_python_dash_m():
    result = subprocess.run([sys.executable, "-m", "symbackslash", "grad", "x*y", "--wrt", "x"],
                            capture_output=True, text=True, check=True)
    assert "df/dx = y" in result.stdout
