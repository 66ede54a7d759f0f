"""Printing: names, weights and the pieces of a derivation, in LaTeX and in text.

Takes SymPy objects and derivation pieces; gives strings, through SymPy's printer hooks.
"""
