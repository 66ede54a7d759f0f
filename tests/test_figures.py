"""The figures the README shows exist and are drawn by figures/make_figures.py."""

import importlib.util
import re
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent


def load_script():
    spec = importlib.util.spec_from_file_location("make_figures",
                                                  ROOT / "figures" / "make_figures.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_readme_figures_exist_and_come_from_the_script():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = re.findall(r"\]\((figures/[^)]+)\)", readme)
    assert {"figures/hero.png", "figures/graph_intro.png", "figures/system_intro.png",
            "figures/storyboard_intro.png"} <= set(shown)
    script = load_script()
    for path in shown:
        assert (ROOT / path).is_file(), path
        assert Path(path).name in script.FIGURES, path
    for name in script.FIGURES:                       # nothing in figures/ is hand-made
        assert (ROOT / "figures" / name).is_file(), name


def test_the_script_draws_a_figure(tmp_path):
    (path,) = load_script().make(["system_intro.png"], tmp_path)
    assert Image.open(path).size[0] > 200
