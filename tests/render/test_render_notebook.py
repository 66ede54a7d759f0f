"""Notebook display: formatters on an IPython shell, and a real notebook run by a kernel."""

import base64
import io

import networkx as nx
import pytest
from examples import INTRO, t1_graph
from PIL import Image

import symbackslash as sb
from symbackslash.render import notebook

IPython = pytest.importorskip("IPython", reason="IPython comes with the test extras")


@pytest.fixture
def shell():
    from IPython.core.interactiveshell import InteractiveShell
    instance = InteractiveShell.instance()
    assert notebook.register(instance)
    yield instance
    InteractiveShell.clear_instance()


def mimes(shell, obj):
    data, _ = shell.display_formatter.format(obj)
    return data


def test_graphs_show_as_pictures_but_other_digraphs_do_not(shell):
    data = mimes(shell, sb.build_graph(INTRO))
    assert Image.open(io.BytesIO(data["image/png"])).size[0] > 200
    assert "image/png" not in mimes(shell, nx.DiGraph([(1, 2)]))     # not ours: text only
    G = t1_graph()
    assert "image/png" not in mimes(shell, G)                       # not checked yet …
    sb.check_graph(G)
    assert "image/png" in mimes(shell, G)                           # … now it is


def test_systems_results_programs_and_derivations_show_as_latex(shell):
    result = sb.differentiate(INTRO)
    system = mimes(shell, result.system)
    assert system["text/latex"].startswith("$$") and r"\hline" in system["text/latex"]
    grad = mimes(shell, result)["text/latex"]
    assert r"\nabla f" in grad and r"\frac{\partial f}{\partial x} &= y \left(\cos" in grad
    program = mimes(shell, sb.gradient(INTRO, form="program"))["text/latex"]
    assert r"\bar{a} &=" in program
    assert mimes(shell, sb.derivation(INTRO))["text/latex"] == sb.derivation(INTRO).latex()
    assert "image/png" in mimes(shell, sb.storyboard("x*y"))


def test_large_systems_show_their_pattern(shell):
    program = "\n".join(["h0 = x"] + [f"h{k} = tanh(w{k}*h{k - 1})" for k in range(1, 12)])
    data = mimes(shell, sb.triangular_system(sb.build_graph(program)))
    assert "text/latex" not in data and "image/png" in data


def test_without_a_running_shell_nothing_is_registered():
    from IPython.core.interactiveshell import InteractiveShell
    InteractiveShell.clear_instance()
    assert IPython.get_ipython() is None
    assert notebook.register() is False


def test_a_notebook_shows_everything_without_glue_code(tmp_path):
    nbformat = pytest.importorskip("nbformat", reason="nbformat comes with the test extras")
    nbclient = pytest.importorskip("nbclient", reason="nbclient comes with the test extras")
    cells = ["import symbackslash as sb\nG = sb.build_graph('sin(x*y) + x*y')\nG",
             "sb.derivation('x*y')",
             "sb.differentiate('x*y').system",
             "sb.draw_graph(G);"]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    nbclient.NotebookClient(nb, timeout=120, kernel_name="python3",
                            resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = [cell.outputs for cell in nb.cells]
    assert "image/png" in outputs[0][0]["data"]
    base64.b64decode(outputs[0][0]["data"]["image/png"])
    assert outputs[1][0]["data"]["text/latex"].startswith(r"\begin{align*}")
    assert r"\hline" in outputs[2][0]["data"]["text/latex"]
    assert any("image/png" in out.get("data", {}) for out in outputs[3])  # inline pyplot
