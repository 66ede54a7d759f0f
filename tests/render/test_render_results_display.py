"""Every result type of the public API displays itself through IPython's display formatter
(LaTeX, HTML or PNG) and prints readably with ``str``, while keeping its behaviour."""

import pickle

import pytest
import sympy as sp
from examples import INTRO

import symbackslash as sb
from symbackslash.render import notebook

pytest.importorskip("IPython", reason="IPython comes with the test extras")

x, y = sp.symbols("x y")
X = sp.MatrixSymbol("X", 3, 3)
U = [[1, -2, 0], [0, 1, -3], [0, 0, 1]]

#: Each public function (or method) that returns a result, called once.
RESULTS = {
    "gradient": lambda: sb.gradient(sp.sin(x*y) + x*y, [x, y]),
    "gradient of a matrix": lambda: sb.gradient(sp.log(sp.Determinant(X)), [X]),
    "gradient program": lambda: sb.gradient(INTRO, form="program"),
    "jacobian": lambda: sb.jacobian([x*y, x + y], [x, y]),
    "differentiate": lambda: sb.differentiate(INTRO),
    "build_graph": lambda: sb.build_graph(INTRO),
    "triangular_system": lambda: sb.triangular_system(sb.build_graph(INTRO)),
    "back_substitute": lambda: sb.back_substitute(U, [0, 0, 1]),
    "forward_substitute": lambda: sb.forward_substitute([[2, 0], [1, 1]], [1, 1]),
    "neumann_inverse": lambda: sb.neumann_inverse(sb.build_graph(INTRO)),
    "check_gradient": lambda: sb.check_gradient(sp.log(sp.Determinant(X)), [X]),
    "compare_with_sympy": lambda: sb.compare_with_sympy(sp.log(sp.Determinant(X)), [X]),
    "dot_test": lambda: sb.dot_test(sb.LeftMultiply(X), (3, 2)),
    "mlp": lambda: sb.mlp([3, 4, 2], batch=5),
    "MLP.solve": lambda: sb.mlp([3, 4, 2], batch=5).solve(),
    "derivation": lambda: sb.derivation(INTRO),
    "storyboard": lambda: sb.storyboard("x*y"),
    "operator": lambda: sb.LeftMultiply(X),
}
RICH = {"text/latex", "text/html", "image/png"}


@pytest.fixture(scope="module")
def shell():
    from IPython.core.interactiveshell import InteractiveShell
    instance = InteractiveShell.instance()
    assert notebook.register(instance)
    yield instance
    InteractiveShell.clear_instance()


@pytest.mark.parametrize("name", RESULTS)
def test_every_result_has_a_rich_representation(shell, name):
    data, _ = shell.display_formatter.format(RESULTS[name]())
    assert RICH & set(data), f"{name} displays only as {sorted(data)}"
    if "text/latex" in data:
        latex = data["text/latex"]
        assert latex.startswith("$") and latex.endswith("$") or latex.startswith(r"\begin")


@pytest.mark.parametrize("name", ["check_gradient", "compare_with_sympy", "dot_test", "mlp",
                                  "MLP.solve", "back_substitute", "gradient"])
def test_results_print_readably_not_as_a_dataclass(name):
    result = RESULTS[name]()
    shown = str(result)
    assert not shown.startswith(type(result).__name__ + "(") and not shown.startswith("[")
    assert "\n" in shown or name == "dot_test"


def test_a_gradient_is_still_a_list_aligned_with_wrt():
    f = sp.sin(x*y) + x*y
    g = sb.gradient(f, [x, y])
    assert isinstance(g, list)
    assert [sp.simplify(d - sp.diff(f, v)) for d, v in zip(g, [x, y], strict=True)] == [0, 0]
    assert g.wrt == [x, y] and len(g) == 2 and g[1] - x*(sp.cos(x*y) + 1) == 0
    assert str(g).splitlines() == [f"df/dx = {g[0]}", f"df/dy = {g[1]}"]
    assert r"\frac{\partial f}{\partial y} &= x" in g._repr_latex_()
    again = pickle.loads(pickle.dumps(g))
    assert again == g and again.wrt == g.wrt


def test_a_gradient_keeps_its_rows_under_sympy_init_printing(shell):
    sp.init_printing(ip=shell)
    data, _ = shell.display_formatter.format(sb.gradient(sp.sin(x*y) + x*y, [x, y]))
    assert r"\frac{\partial f}{\partial x}" in data["text/latex"]


def test_reports_keep_their_verdicts():
    report = RESULTS["check_gradient"]()
    assert report.passed and "passed" in report._repr_html_()
    wrong = sb.check_gradient(x**2, [x], [3*x])
    assert not wrong.passed and "FAILED" in wrong._repr_html_() and "WRONG" in str(wrong)
    comparison = RESULTS["compare_with_sympy"]()
    assert "SymPy differs" in comparison._repr_html_()
    assert RESULTS["dot_test"]().passed and "passed" in str(RESULTS["dot_test"]())
