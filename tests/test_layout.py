"""The layout is the architecture: stages import only downward, and the top level stays small."""

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "symbackslash"


def lint_imports() -> str:
    found = shutil.which("lint-imports") or str(Path(sys.executable).parent / "lint-imports")
    if not Path(found).exists():
        pytest.fail("lint-imports is not installed: it comes with the test extras (import-linter)")
    return found


def test_the_layers_contract_is_kept():
    run = subprocess.run([lint_imports()], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "1 kept, 0 broken" in run.stdout


def test_the_contract_lists_every_subpackage_and_top_level_module():
    import tomllib

    layers = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"][
        "contracts"][0]["layers"]
    listed = {name.strip().removeprefix("symbackslash.") for layer in layers
              for name in layer.split("|")}
    stages = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()}
    modules = {p.stem for p in PACKAGE.glob("*.py") if p.stem != "__init__"}
    assert stages | modules == listed


def test_at_most_a_dozen_modules_at_the_top():
    assert len(list(PACKAGE.glob("*.py"))) <= 12


def test_no_module_imports_inside_a_function():
    # imports sit at the top of a module (storyboard() and EliminationDerivation.document()
    # imported inside to step around a cycle; a registry and a shared PREAMBLE replace them)
    inside = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                inside += [f"{path.relative_to(ROOT)}:{n.lineno}" for n in ast.walk(node)
                           if isinstance(n, (ast.Import, ast.ImportFrom))]
    assert inside == []


def test_test_modules_have_distinct_names():
    # tests/ has no packages (pythonpath = ["tests"]): two test files of one name in two
    # stage folders stop the whole run at collection ("import file mismatch").
    names = [path.name for path in Path(__file__).parent.rglob("test_*.py")]
    assert not sorted({n for n in names if names.count(n) > 1})
