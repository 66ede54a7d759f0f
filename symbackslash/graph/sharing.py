"""Recovering the sharing that SymPy's flattening hides.

SymPy flattens sums and products as it builds them: the sin-chain x₂ = sin(x₁)·x₁ with
x₁ = sin(x₀)·x₀ is stored as the three-factor product sin(x₁)·sin(x₀)·x₀, and
T₃ = 2x·T₂ − T₁ has −T₁ distributed over T₁'s terms. A graph that takes such products and
sums at face value has quadratic size. :class:`SharingIndex` remembers the flat operand set
of every sum and product node, and rewrites a new one over the largest existing node whose
operands it contains (for sums: up to a common factor), so the graph stays linear.

>>> import sympy as sp
>>> a, b, c, d, v, w = sp.symbols("a b c d v w")
>>> index = SharingIndex()
>>> index.register(v, *split_flat(a*b*c))
>>> index.rewrite(*split_flat(2*a*b*c*d))
2*d*v
>>> index.register(w, *split_flat(a + b - c))
>>> index.rewrite(*split_flat(3*a + 3*b - 3*c + d + 1))
d + 3*w + 1
"""

from __future__ import annotations

from collections import defaultdict

import sympy as sp

from ..core.scalars import product, total

__all__ = ["SharingIndex", "coefficients", "split_flat"]


def split_flat(expr: sp.Expr, mapped: dict | None = None, parts=None) -> tuple | None:
    """``(head, constant part, {operand: coefficient})`` of a sum or product, each operand
    replaced by ``mapped[operand]`` when given; ``None`` for other expressions.

    For a product every coefficient is 1 and the constant part is the numeric coefficient;
    for a sum the coefficients are the terms' numeric factors. No SymPy object is built, so
    a product of k factors costs O(k). ``parts``, when the caller has them, are
    :func:`coefficients`'s of ``expr`` (saves splitting the terms again).

    >>> import sympy as sp
    >>> x, y = sp.symbols("x y")
    >>> split_flat(3*x*y)
    (<class 'sympy.core.mul.Mul'>, 3, {x: 1, y: 1})
    >>> split_flat(2*x - y + 5)
    (<class 'sympy.core.add.Add'>, 5, {y: -1, x: 2})
    """
    mapped = mapped or {}
    if not (expr.is_Mul or expr.is_Add):
        return None
    parts = coefficients(expr) if parts is None else parts
    if expr.is_Mul:
        coeff, factors = parts
        return sp.Mul, coeff, {mapped.get(f, f): sp.S.One for f in factors}
    if expr.is_Add:
        constant, terms = sp.S.Zero, {}
        for c, t in parts:
            if t is sp.S.One:  # a number term (as_coeff_Mul gives SymPy's one)
                constant += c
            else:
                t = mapped.get(t, t)
                terms[t] = c if t not in terms else terms[t] + c
        return sp.Add, constant, terms
    return None


#: A difference of at most this many terms ends the search for a closer earlier sum.
GOOD_ENOUGH = 4


def _delta(terms: dict, node_terms: dict, room: int) -> dict | None:
    """The nonzero coefficients of ``terms − node_terms``; ``None`` once there are more than
    ``room`` of them. Equal coefficients (most of them) are skipped without arithmetic."""
    delta = {}
    for t, c in terms.items():
        d = node_terms.get(t)
        if d is None:
            delta[t] = c
        elif d is c or d == c:
            continue
        else:
            difference = c - d
            if difference == 0:  # 1/2 − 0.5: SymPy's Rational and Float are not equal
                continue
            delta[t] = difference
        if len(delta) > room:
            return None
    for t, d in node_terms.items():
        if t not in terms:
            delta[t] = -d
            if len(delta) > room:
                return None
    return delta


def coefficients(expr: sp.Expr, split: dict | None = None):
    """The numeric coefficients of a sum's terms, ``[(c, t), …]`` (``as_coeff_Mul`` of each
    term), or of a product, ``(c, factors)``; ``None`` for other expressions. Splitting a
    term makes a new product (``2*x*y`` → ``x*y``), so callers split each term once:
    ``split`` remembers each term's split (``{term: (c, t)}``), so equal terms of different
    sums give the same ``t``, one object (SymPy's expanded sums repeat their terms)."""
    if expr.is_Add:
        if split is None:
            return [a.as_coeff_Mul() for a in expr.args]
        parts = []
        for a in expr.args:
            part = split.get(a)
            if part is None:
                part = split[a] = a.as_coeff_Mul()
            parts.append(part)
        return parts
    if expr.is_Mul:
        coeff, rest = expr.as_coeff_Mul()
        return coeff, (rest.args if rest.is_Mul else (rest,))
    return None


class SharingIndex:
    """Flat operand sets of the sum and product nodes built so far, indexed by operand."""

    def __init__(self):
        self.users: dict[tuple, list] = defaultdict(list)  # (head, operand) → nodes
        self.flat: dict = {}                               # node → (head, terms, constant)
        self.position: dict = {}

    def register(self, node, head, constant, terms: dict) -> None:
        """Remember ``node``, whose value is the flat sum or product ``(head, constant, terms)``
        (as :func:`split_flat` gives it, before any rewriting)."""
        if len(terms) < 2:
            return
        self.flat[node] = (head, terms, constant)
        self.position[node] = len(self.position)
        for t in terms:
            self.users[(head, t)].append(node)

    def rewrite(self, head, constant, terms: dict) -> sp.Expr | None:
        """The flat sum or product with the operands of the largest contained existing nodes
        replaced by those nodes (repeatedly); ``None`` when nothing is contained."""
        if len(terms) < 3:
            return None
        terms = dict(terms)
        rarest = self._by_rarity(head, terms)
        pieces = []
        while len(terms) >= 3:
            found = self._largest_contained(head, terms, rarest)
            if found is None:
                break
            node, ratio = found
            _, node_terms, node_constant = self.flat[node]
            for t in node_terms:
                del terms[t]
            if head is sp.Add:
                pieces.append(product(ratio, node))
                constant -= ratio * node_constant
            else:
                pieces.append(node)
                constant /= node_constant
        if not pieces:
            return self._difference(constant, terms, rarest) if head is sp.Add else None
        if head is sp.Add:
            return total(constant, *pieces, *(product(c, t) for t, c in terms.items()))
        return product(constant, *pieces, *terms)

    def _by_rarity(self, head, terms: dict) -> list:
        """``(users, operand)`` for the operands of ``terms``, the rarest operands first (the
        fewest registered nodes use them)."""
        pairs = [(self.users.get((head, t), ()), t) for t in terms]
        pairs.sort(key=lambda pair: len(pair[0]))
        return pairs

    def _difference(self, constant, terms: dict, rarest: list) -> sp.Expr | None:
        """A long sum written as an earlier sum plus a short difference, A = B + (A − B),
        when B shares most of A's terms (a sum over all but one index, repeated for every
        index, becomes linear instead of quadratic); ``None`` when no earlier sum is close.
        """
        if len(terms) < 8:
            return None
        best, room = None, (len(terms) - 1) // 2 - 1  # the longest difference worth it
        for node in self._candidates(rarest, checks=8):
            _, node_terms, node_constant = self.flat[node]
            if len(node_terms) < len(terms) // 2:
                continue
            delta = _delta(terms, node_terms, room)
            if delta is not None:
                best, room = (node, delta, constant - node_constant), len(delta) - 1
                if len(delta) <= GOOD_ENOUGH:
                    break
        if best is None:
            return None
        node, delta, difference = best
        return total(difference, node, *(product(d, t) for t, d in delta.items()))

    @staticmethod
    def _candidates(rarest: list, checks: int):
        """Registered nodes sharing operands (``rarest``, from :meth:`_by_rarity`): users of
        the rarest operands first, most recent first, at most ``checks`` of them."""
        seen = set()
        for users, _ in rarest:
            for node in reversed(users):
                if node not in seen:
                    seen.add(node)
                    yield node
                    if len(seen) >= checks:
                        return

    def _largest_contained(self, head, terms: dict, rarest: list):
        """The largest registered node whose operands all occur in ``terms`` (for sums, with
        proportional coefficients), and the ratio; ``None`` if there is none. ``rarest`` is
        :meth:`_by_rarity` of ``terms`` or of a larger dict (other operands are skipped).

        Candidates are read off the users of the rarest operands first, most recent first,
        with a budget proportional to ``len(terms)``: linear work per rewrite, at the price
        of possibly missing a contained node that shares only common operands.
        """
        budget = 4 * len(terms) + 64
        best, best_size, best_ratio = None, 1, None
        seen = set()
        for users, t in rarest:
            if t not in terms:
                continue
            for node in reversed(users):
                budget -= 1
                if budget < 0:
                    return None if best is None else (best, best_ratio)
                if node in seen:
                    continue
                seen.add(node)
                node_terms = self.flat[node][1]
                if not best_size < len(node_terms) < len(terms):
                    continue
                ratio = self._ratio(head, node_terms, terms)
                if ratio is not None:
                    best, best_size, best_ratio = node, len(node_terms), ratio
                    if best_size == len(terms) - 1:  # no larger node can be contained
                        return best, best_ratio
        return None if best is None else (best, best_ratio)

    @staticmethod
    def _ratio(head, node_terms: dict, terms: dict):
        """r with terms[t] = r·node_terms[t] for every operand t of the node, else None."""
        if head is sp.Mul:
            return sp.S.One if all(t in terms for t in node_terms) else None
        ratio = None  # (numerator, denominator) while every coefficient is rational
        for t, c in node_terms.items():
            a = terms.get(t)
            if a is None:
                return None
            if a.is_Rational and c.is_Rational and not isinstance(ratio, sp.Basic):
                r = (a.p * c.q, a.q * c.p)  # a / c in integers, compared crosswise
                if ratio is None:
                    ratio = r
                elif r[0] * ratio[1] != ratio[0] * r[1]:
                    return None
                continue
            if isinstance(ratio, tuple):
                ratio = sp.Rational(*ratio)
            r = a / c
            if ratio is None:
                ratio = r
            elif r != ratio:
                return None
        if isinstance(ratio, tuple):
            return sp.Rational(*ratio)
        return sp.S.One if ratio is None else ratio
