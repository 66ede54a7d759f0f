"""A catalogue of scalar functions for the gradient tests: (name, function, variables).

Classic optimisation test functions, deep compositions with shared subexpressions, machine
learning pieces, and straight-line programs given as text.
"""

import sympy as sp

from symbackslash import sigmoid, softplus

x, y, z, w = sp.symbols("x y z w")
X = sp.symbols("x1:5")

CATALOGUE = [
    # --- optimisation test functions
    ("sphere", x**2 + y**2 + z**2, [x, y, z]),
    ("rosenbrock2", (1 - x)**2 + 100*(y - x**2)**2, [x, y]),
    ("rosenbrock4", sum(100*(X[i+1] - X[i]**2)**2 + (1 - X[i])**2 for i in range(3)), list(X)),
    ("beale", (sp.Rational(3, 2) - x + x*y)**2 + (sp.Rational(9, 4) - x + x*y**2)**2
     + (sp.Rational(21, 8) - x + x*y**3)**2, [x, y]),
    ("booth", (x + 2*y - 7)**2 + (2*x + y - 5)**2, [x, y]),
    ("himmelblau", (x**2 + y - 11)**2 + (x + y**2 - 7)**2, [x, y]),
    ("matyas", sp.Rational(26, 100)*(x**2 + y**2) - sp.Rational(48, 100)*x*y, [x, y]),
    ("three_hump_camel", 2*x**2 - sp.Rational(105, 100)*x**4 + x**6/6 + x*y + y**2, [x, y]),
    ("goldstein_price", (1 + (x + y + 1)**2*(19 - 14*x + 3*x**2 - 14*y + 6*x*y + 3*y**2))
     * (30 + (2*x - 3*y)**2*(18 - 32*x + 12*x**2 + 48*y - 36*x*y + 27*y**2)), [x, y]),
    ("rastrigin2", 20 + x**2 - 10*sp.cos(2*sp.pi*x) + y**2 - 10*sp.cos(2*sp.pi*y), [x, y]),
    ("ackley", -20*sp.exp(-sp.Rational(1, 5)*sp.sqrt((x**2 + y**2)/2))
     - sp.exp((sp.cos(2*sp.pi*x) + sp.cos(2*sp.pi*y))/2) + sp.E + 20, [x, y]),
    ("styblinski_tang", (x**4 - 16*x**2 + 5*x + y**4 - 16*y**2 + 5*y)/2, [x, y]),
    ("easom", -sp.cos(x)*sp.cos(y)*sp.exp(-((x - sp.pi)**2 + (y - sp.pi)**2)), [x, y]),
    ("mccormick", sp.sin(x + y) + (x - y)**2 - sp.Rational(3, 2)*x + sp.Rational(5, 2)*y + 1,
     [x, y]),
    ("levi13", sp.sin(3*sp.pi*x)**2 + (x - 1)**2*(1 + sp.sin(3*sp.pi*y)**2)
     + (y - 1)**2*(1 + sp.sin(2*sp.pi*y)**2), [x, y]),
    ("zakharov", x**2 + y**2 + (x/2 + y)**2 + (x/2 + y)**4, [x, y]),
    ("powell", (X[0] + 10*X[1])**2 + 5*(X[2] - X[3])**2 + (X[1] - 2*X[2])**4
     + 10*(X[0] - X[3])**4, list(X)),
    ("trid", (x - 1)**2 + (y - 1)**2 - x*y, [x, y]),
    # --- compositions with shared subexpressions
    ("paper_intro", sp.sin(x*y) + x*y, [x, y]),
    ("shared_product", x*y*sp.sin(x*y), [x, y]),
    ("exp_sin_ratio", sp.exp(sp.sin(x)**2) / (1 + y**2), [x, y]),
    ("nested_trig", sp.sin(sp.cos(sp.tan(x*y) + x)) * sp.cos(x*y), [x, y]),
    ("shared_power", (x*y + sp.sin(x*y))**3 * sp.exp(x*y), [x, y]),
    ("deep_shared", sp.log(1 + (sp.exp(x) + sp.exp(x)*y)**2) + sp.exp(x)*y, [x, y]),
    ("radius", sp.sqrt(x**2 + y**2 + z**2), [x, y, z]),
    ("power_tower", x**y + y**x, [x, y]),
    ("inverse_trig", sp.atan(x/y) + sp.asin(x/2) + sp.acos(y/3), [x, y]),
    ("hyperbolic", sp.tanh(x) * sp.sinh(y) + sp.cosh(x*y), [x, y]),
    # --- machine-learning pieces
    ("logsumexp", sp.log(sp.exp(x) + sp.exp(y) + sp.exp(z)), [x, y, z]),
    ("sigmoid_neuron", sigmoid(w*x + z), [w, x, z]),
    ("softplus_loss", softplus(-y*(w*x + z)), [w, x, y, z]),
    ("tanh_net", sp.tanh(w*sp.tanh(x*y + z) + 1)**2, [w, x, y, z]),
    ("cross_entropy", -y*sp.log(sigmoid(w*x)) - (1 - y)*sp.log(1 - sigmoid(w*x)), [w, x, y]),
    # --- programs as text
    ("program_intro", "a = x*y\nb = sin(a)\nf = a + b", ["x", "y"]),
    ("program_mlp", "z1 = w*x + b\nh1 = tanh(z1)\nz2 = v*h1 + c\nloss = (z2 - y)**2 / 2",
     ["w", "b", "v", "c", "x", "y"]),
    ("program_reuse", "s = x + y; p = x*y; q = s*p; f = q + sin(p)*s", ["x", "y"]),
    ("program_chain", "x1 = sin(x0)*x0\nx2 = sin(x1)*x1\nx3 = sin(x2)*x2\nx4 = sin(x3)*x3", ["x0"]),
    ("program_chebyshev", "t0 = 1\nt1 = x\nt2 = 2*x*t1 - t0\nt3 = 2*x*t2 - t1\nt4 = 2*x*t3 - t2\n"
     "t5 = 2*x*t4 - t3", ["x"]),
]
