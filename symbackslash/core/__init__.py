"""Core: SymPy utilities every stage shares (below all of them).

Takes SymPy expressions; gives DAG walks, one-level matrix constructors, shapes, the element
protocol of the solvers, the extra functions (sigmoid, softplus, relu), limits and tidying.
"""
