"""Numbers: values of graphs and programs, compiled programs, non-smooth points.

Takes a graph or an expression and a point; gives values that do not lie (singular points
raise, conventions warn) and checked compiled functions.
"""
