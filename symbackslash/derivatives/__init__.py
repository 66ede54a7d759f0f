"""Stage 4, derivatives: gradients, Jacobians, gradient programs and the MLP.

Takes a function (expression, program or graph) and its variables; gives derivatives by
solving the triangular system, as closed forms or straight-line programs.
"""
