"""Printing of SymPy matrix objects whose default form misleads: ones, element-wise inverse."""
def test_ones_and_element_wise_division_print_as_such():
    import sympy as sp

    from symbackslash.printing.latex import latex
    from symbackslash.printing.text import text
    X = sp.MatrixSymbol("X", 3, 3)
    assert (text(sp.OneMatrix(3, 3)), latex(sp.OneMatrix(3, 3))) == ("ones", r"\mathbb{1}")
    assert text(sp.HadamardPower(X + X.T, -1)) == "1 ./ (X + X.T)"
    assert latex(sp.HadamardPower(X, -1)) == r"\mathbb{1} \oslash X"
    assert text(sp.HadamardPower(X, 2)) == "X.^2"
