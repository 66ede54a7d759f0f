"""Sphinx configuration: the API reference from the docstrings, the tutorials as pages.

Build offline with ``python -m sphinx -W -b html docs docs/_build/html`` (no intersphinx, no
remote assets: MathJax is served with the pages); the tutorials are shown with the outputs
they were committed with.
"""

import importlib
import inspect
import shutil
from pathlib import Path

import symbackslash

ROOT = Path(__file__).resolve().parent.parent

project = "symbackslash"
author = "symbackslash developers"
copyright = "2026, symbackslash developers"
release = version = symbackslash.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "numpydoc",
    "myst_nb",
    "sphinx-mathjax-offline",  # MathJax served with the pages: formulas render offline
]
source_suffix = {".rst": "restructuredtext", ".md": "myst-nb", ".ipynb": "myst-nb"}
exclude_patterns = ["_build", "**.ipynb_checkpoints"]
templates_path = ["_templates"]

autosummary_generate = True
autodoc_default_options = {"members": False}
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False
numpydoc_validation_checks = set()

nb_execution_mode = "off"  # the committed outputs; the test suite executes the notebooks
myst_enable_extensions = ["dollarmath", "amsmath"]
suppress_warnings = ["mystnb.unknown_mime_type"]

html_theme = "alabaster"
html_title = "symbackslash"
html_static_path = ["_static"]


def copy_tutorials(app):
    """The notebooks live in ``tutorials/``; Sphinx reads them from a copy under ``docs/``,
    where their links to ``../docs/…`` (right in the repository) point one folder up."""
    target = Path(app.srcdir) / "tutorials"
    if target.exists():
        shutil.rmtree(target)
    target.mkdir()
    for notebook in sorted((ROOT / "tutorials").glob("*.ipynb")):
        text = notebook.read_text(encoding="utf-8").replace("](../docs/", "](../")
        (target / notebook.name).write_text(text, encoding="utf-8")


#: The order of the stages in the reference: the data flow, then the tools beside it.
STAGES = ["parse", "graph", "rules", "operators", "solve", "derivatives", "numeric", "check",
          "derivation", "printing", "render", "core", "errors", "symbackslash"]


def stage_of(name: str) -> str:
    """The stage a public name lives in: the first part of its module under the package."""
    obj = getattr(symbackslash, name)
    module = getattr(obj, "__module__", None) if callable(obj) else None
    if module is None:  # a table such as RULES: where the module that defines it says
        module = next(m for m in (f"symbackslash.rules.{k}" for k in ("scalar", "matrix"))
                      if getattr(importlib.import_module(m), name, None) is obj)
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "symbackslash"


def title_of(stage: str) -> tuple[str, str]:
    """The section title and introduction of a stage: its package docstring."""
    if stage == "symbackslash":
        return "The package", "The notebook extension."
    doc = inspect.getdoc(importlib.import_module(f"symbackslash.{stage}")) or stage
    first, _, rest = doc.partition("\n\n")
    return first.rstrip("."), rest.split("\n\n")[0]


def write_api(app):
    """``api.rst``: every name of ``symbackslash.__all__``, grouped by stage, so the reference
    cannot miss a public function."""
    groups: dict[str, list[str]] = {}
    for name in symbackslash.__all__:
        groups.setdefault(stage_of(name), []).append(name)
    lines = ["API reference", "=============", "",
             "Everything below is available as ``symbackslash.<name>`` (``import symbackslash "
             "as sb``), listed by the stage of the data flow that defines it.", ""]
    for stage in sorted(groups, key=lambda s: STAGES.index(s) if s in STAGES else len(STAGES)):
        title, intro = title_of(stage)
        lines += [title, "-" * len(title), "", " ".join(intro.split()), "",
                  ".. currentmodule:: symbackslash", "", ".. autosummary::",
                  "   :toctree: generated", ""]
        lines += [f"   {name}" for name in groups[stage]] + [""]
    (Path(app.srcdir) / "api.rst").write_text("\n".join(lines), encoding="utf-8")


def setup(app):
    # at config-inited, before Sphinx lists the source files: at builder-inited a fresh
    # checkout's api.rst came too late for autosummary, whose stubs were then missing
    app.connect("config-inited", lambda app, config: copy_tutorials(app))
    app.connect("config-inited", lambda app, config: write_api(app))
