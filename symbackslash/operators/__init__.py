"""Operators: the entries of L when the nodes are matrices.

Takes matrices; gives linear operators (X ↦ AX, X ↦ XB, X ↦ H ⊙ X, the transpose-dot …)
that apply, compose, add, negate, print and carry their own adjoint.
"""
