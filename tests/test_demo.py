"""``symbackslash demo``: the summary with its checks, and every file it promises."""

import contextlib
import io
import shlex
import shutil
import time
from pathlib import Path

import pytest
from PIL import Image

from symbackslash.cli import main
from symbackslash.demo import FILES
from symbackslash.render import pdf


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """One run of the demo into a fresh folder: (folder, printed summary, seconds)."""
    folder = tmp_path_factory.mktemp("demo") / "out"
    buffer = io.StringIO()
    start = time.perf_counter()
    with contextlib.redirect_stdout(buffer):
        status = main(["demo", "--out", str(folder)])
    assert status == 0
    return folder, buffer.getvalue(), time.perf_counter() - start


def test_the_summary_shows_graph_system_steps_gradient_and_checks(demo):
    _, out, _ = demo
    for piece in ["(3)  a = x*y", "da/dx = y", "db/da = cos(a)",
                  "(I - L)^T xbar = e_5",
                  "(3)  a_bar = cos(a)*b_bar + f_bar = cos(a) + 1 = cos(x*y) + 1 = 0.583853",
                  "df/dx = y*(cos(x*y) + 1), df/dy = x*(cos(x*y) + 1)",
                  "check at x = 1, y = 2: (1.16771, 0.583853); central differences agree",
                  "Lambda1 = W2.T*(Delta2 .* Lambda2)",
                  "grad W1 = (Delta1 .* Lambda1)*X0.T",
                  "check at random matrices: central differences agree"]:
        assert piece in out, piece
    assert out.count("[ok]") == 2 and "WRONG" not in out


def test_forward_needs_four_multiplications_and_backward_three(demo):
    """The counts come from the solver's records; the paper gives 4 and 3."""
    _, out, _ = demo
    assert "a, a*c, a*c*d; b, b*c, b*c*d  -> 4 multiplications" in out
    assert "d, c*d, b*c*d, a*c*d  -> 3 multiplications" in out


def test_every_file_is_written_whole_and_listed(demo):
    folder, out, _ = demo
    expected = set(FILES) if shutil.which("pdflatex") else set(FILES) - {"derivation.pdf"}
    assert {p.name for p in folder.iterdir()} == expected        # no temporary files left
    assert f"Files written to {folder.resolve()}:" in out
    tex = (folder / "derivation.tex").read_text(encoding="utf-8")
    assert tex.startswith(r"\documentclass") and tex.rstrip().endswith(r"\end{document}")
    assert r"\bar{a} &= " in tex and "0.583853" in tex
    for name in ["graph.png", "system.png", "storyboard.png"]:
        with Image.open(folder / name) as image:
            assert image.format == "PNG" and image.size[0] > 300, name
    with Image.open(folder / "storyboard.gif") as gif:
        assert gif.n_frames == 5                                   # one per node


def test_the_pdf_is_compiled_when_pdflatex_exists(demo):
    if shutil.which("pdflatex") is None:
        pytest.skip("pdflatex is not installed (Debian: texlive-latex-base, "
                    "texlive-latex-recommended); .ci/run installs it")
    folder, out, _ = demo
    data = (folder / "derivation.pdf").read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 10_000
    assert "derivation.pdf  the same, compiled with pdflatex" in out


def test_it_finishes_in_seconds(demo):
    *_, seconds = demo
    assert seconds < 60, f"the demo took {seconds:.0f} s"   # about 5 s; generous for slow CI


def test_default_folder_and_no_pdflatex(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(pdf.shutil, "which", lambda name: None)
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    folder = tmp_path / "symbackslash-demo"
    assert {p.name for p in folder.iterdir()} == set(FILES) - {"derivation.pdf"}
    assert "derivation.pdf  not written: pdflatex is not installed" in out


def test_a_folder_that_cannot_be_made_is_one_error_line(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("in the way")
    assert main(["demo", "--out", str(blocker / "sub")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("symbackslash: error: cannot create the folder") and \
        err.count("\n") == 1


def test_the_readme_shows_real_output(demo):
    """Every line of the README's excerpt of the demo is a line the demo prints."""
    _, out, _ = demo
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    excerpt = readme.split("```text\n", 1)[1].split("```", 1)[0]
    printed = set(out.splitlines())
    missing = [line for line in excerpt.splitlines() if line and line not in printed]
    assert not missing, missing


def test_the_command_the_demo_suggests_works(demo, tmp_path, monkeypatch, capsys):
    _, out, _ = demo
    suggestion = out.rstrip().splitlines()[-1].strip()
    assert suggestion.startswith("symbackslash grad ")
    monkeypatch.chdir(tmp_path)
    args = shlex.split(suggestion)[1:]
    if not shutil.which("pdflatex"):
        args = args[:args.index("--pdf")]
    assert main(args) == 0
    assert "df/dx" in capsys.readouterr().out
