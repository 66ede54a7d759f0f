"""The README is true to the code: its Python examples run (and print what they show), its
command lines work, and its quick-start commands are the ones CI runs."""

import doctest
import re
import shlex
from pathlib import Path

import pytest
import sympy as sp
from PIL import Image

import symbackslash as sb
from symbackslash.cli import main

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
TEST_COMMAND = ('python3 -m venv .venv && .venv/bin/pip install -q -e ".[test]" && '
                '.venv/bin/python -m pytest')
DEMO_COMMAND = ("python3 -m venv .venv && .venv/bin/pip install -q -e . && "
                ".venv/bin/symbackslash demo")


def blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, flags=re.DOTALL)


def section(title: str) -> str:
    return README.split(f"\n## {title}\n", 1)[1].split("\n## ", 1)[0]


PYTHON = blocks("python")
SESSIONS = [b for b in PYTHON if b.startswith(">>>")]
SCRIPTS = [b for b in PYTHON if not b.startswith(">>>")]


def test_the_quick_start_commands_are_the_ones_ci_runs():
    quick = section("Quick start (fresh machine, Python ≥ 3.11)")
    assert DEMO_COMMAND in blocks("bash")[0] and DEMO_COMMAND in quick
    assert TEST_COMMAND in quick
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert ci.rstrip().splitlines()[-1] == TEST_COMMAND


def test_the_python_sessions_print_what_the_readme_shows():
    """The ``>>>`` blocks run as doctests, one namespace in README order."""
    assert len(SESSIONS) >= 2
    parser, runner = doctest.DocTestParser(), doctest.DocTestRunner(
        optionflags=doctest.NORMALIZE_WHITESPACE)
    namespace: dict = {}
    for k, block in enumerate(SESSIONS):
        test = parser.get_doctest(block, namespace, f"README session {k + 1}", "README.md", 0)
        runner.run(test, clear_globs=False)
        namespace = test.globs               # a DocTest works on a copy of the namespace
    assert runner.failures == 0 and runner.tries >= 10


def test_the_matrix_example_runs_and_prints_the_gradient_it_claims(tmp_path, monkeypatch):
    (code,) = [b for b in SCRIPTS if "sb.mlp(" in b]
    monkeypatch.chdir(tmp_path)
    namespace: dict = {}
    exec(compile(code, "README.md", "exec"), namespace)
    claimed = re.search(r"print\(sb\.text\(grads\[2\]\)\)\s+# (.*)", code).group(1)
    assert sb.text(namespace["grads"][2]) == claimed.strip()


def test_the_derivations_and_pictures_example_runs(tmp_path, monkeypatch, capsys):
    (code,) = [b for b in SCRIPTS if "storyboard(G).save" in b]
    monkeypatch.chdir(tmp_path)
    exec(compile(code, "README.md", "exec"), {})
    assert "7. The gradient" in capsys.readouterr().out
    assert Image.open(tmp_path / "steps.gif").n_frames == 5
    if sb.pdflatex_available():
        assert (tmp_path / "derivation.pdf").read_bytes().startswith(b"%PDF")


def command_lines() -> list[list[str]]:
    """The ``symbackslash grad`` lines of the command-line section, continuations joined."""
    (block,) = [b for b in blocks("bash") if "symbackslash grad" in b]
    joined = block.replace("\\\n", " ")
    lines = [shlex.split(line, comments=True) for line in joined.splitlines()]
    return [line[1:] for line in lines if line[:2] == ["symbackslash", "grad"]]


@pytest.mark.parametrize("args", command_lines(), ids=lambda a: " ".join(a)[:40])
def test_the_command_lines_work(args, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    if "--pdf" in args and not sb.pdflatex_available():
        pytest.skip("pdflatex is not installed (Debian: texlive-latex-base, "
                    "texlive-latex-recommended); .ci/run installs it")
    assert main(args) == 0, capsys.readouterr().err
    written = [args[k + 1] for k, a in enumerate(args) if a in ("--latex", "--pdf", "--figure",
                                                                 "--matrix", "--storyboard",
                                                                 "--paths")]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(written)


def test_every_tutorial_is_linked_and_every_figure_exists():
    for path in sorted((ROOT / "tutorials").glob("[0-9][0-9]_*.ipynb")):
        assert f"(tutorials/{path.name})" in README, path.name
    for figure in re.findall(r"\]\((figures/[^)]+)\)", README):
        assert (ROOT / figure).is_file(), figure


def test_a_place_is_kept_for_the_safety_and_limits_section():
    assert '<!-- "Safety and limits" goes here' in README or "\n## Safety and limits\n" in README


def test_the_elimination_example_runs(tmp_path, monkeypatch, capsys):
    (code,) = [b for b in SCRIPTS if "sb.eliminate(" in b]
    monkeypatch.chdir(tmp_path)
    namespace: dict = {}
    exec(compile(code, "README.md", "exec"), namespace)
    E, fs, wrt = namespace["E"], namespace["fs"], [namespace[v] for v in "xyz"]
    assert E.multiplications == 5
    assert (E.jacobian - sb.jacobian(fs, wrt)).expand() == sp.zeros(2, 3)
    costs = sb.elimination_costs(fs, wrt).as_dict()
    assert costs == {"forward": 6, "reverse": 5, "markowitz": 5, "optimal": 5}
    assert "Step 1: eliminate" in capsys.readouterr().out
    assert Image.open(tmp_path / "elim.gif").n_frames == len(E.steps)
