"""Stage 2a, rules: the local partials, one table for scalar nodes, one for matrix nodes.

Takes a node's expression and its arguments; gives the edge weights ∂v_j/∂v_i (SymPy
expressions, or operators for matrix nodes).
"""
