"""The API reference builds offline with no warning, and covers every public name."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import symbackslash as sb

pytest.importorskip("sphinx", reason="Sphinx comes with the test extras (the docs extra)")

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    # as on a fresh checkout: without the generated files of an earlier build (the first
    # build wrote api.rst too late for autosummary, and only a second build passed)
    shutil.rmtree(ROOT / "docs" / "generated", ignore_errors=True)
    (ROOT / "docs" / "api.rst").unlink(missing_ok=True)
    out = tmp_path_factory.mktemp("html")
    run = subprocess.run([sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html",
                          str(ROOT / "docs"), str(out)],
                         cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    return out


def test_the_docs_build_without_warnings(site):
    assert (site / "index.html").exists() and (site / "api.html").exists()


def test_every_public_name_has_a_page(site):
    missing = [name for name in sb.__all__
               if not (site / "generated" / f"symbackslash.{name}.html").exists()]
    assert not missing


def test_every_tutorial_is_a_page_with_its_outputs(site):
    for notebook in sorted((ROOT / "tutorials").glob("*.ipynb")):
        page = (site / "tutorials" / f"{notebook.stem}.html").read_text(encoding="utf-8")
        # a committed figure or formula output shows
        assert re.search(r'<img [^>]*src=|class="math', page), notebook.name
