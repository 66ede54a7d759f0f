"""Symbol names and their LaTeX: shared by the printing and the figure-label tests."""

NAMES = [
    ("x", "x"), ("v1", "v_{1}"), ("x_1", "x_{1}"), ("W1", "W_{1}"), ("theta2", r"\theta_{2}"),
    ("alpha", r"\alpha"), ("Lambda", r"\Lambda"), ("a_bar", r"\bar{a}"),
    ("alpha_bar", r"\bar{\alpha}"), ("v1_bar", r"\bar{v}_{1}"), ("x_1_bar", r"\bar{x}_{1}"),
    ("theta2_bar", r"\bar{\theta}_{2}"), ("a_bar_bar", r"\bar{\bar{a}}"),
    ("v1_dot", r"\dot{v}_{1}"), ("x_hat", r"\hat{x}"), ("loss", r"\mathit{loss}"),
    ("loss_bar", r"\overline{\mathit{loss}}"), ("x_max", r"x_{\mathrm{max}}"),
    ("x_2_3", "x_{2,3}"), ("xdot", r"\dot{x}"), ("x__2", "x^{2}"), ("f_1", "f_{1}"),
]
