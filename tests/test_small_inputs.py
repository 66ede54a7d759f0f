"""Small inputs that once hung or ate memory: each gives our error quickly, or the right
answer, in a subprocess capped in memory and time (``sandbox.run_capped``)."""

import sympy as sp
from sandbox import run_capped

import symbackslash as sb

SQUARING = "\n".join(["a0 = 3*x"] + [f"a{k} = a{k - 1}*a{k - 1}" for k in range(1, 26)])
SIN_COS = "\n".join(["a0 = x"] + [f"a{k} = sin(a{k - 1}) + cos(a{k - 1})" for k in range(1, 10)])


def test_repeated_squaring_is_refused_for_the_size_of_its_numbers():
    out = run_capped(f"""
        try:
            sb.gradient({SQUARING!r})
        except sb.ResourceLimitError as err:
            print(err.limit)
        program = sb.gradient({SQUARING!r}, form="program")  # as short as the program
        print(len(program.assignments) > 0)
    """, timeout=60)
    assert out.splitlines() == ["max_int_digits", "True"]


def test_squaring_within_the_limits_agrees_with_sympy():
    x = sp.Symbol("x")
    program = "\n".join(["a0 = 3*x"] + [f"a{k} = a{k - 1}*a{k - 1}" for k in range(1, 6)])
    assert sb.gradient(program) == [sp.diff((3*x) ** 32, x)]


def test_a_doubling_program_is_derived_in_seconds_not_minutes():
    out = run_capped(f"""
        d = sb.derivation({SIN_COS!r})
        text = d.text()
        print(len(text) < 500_000, "7. The gradient" in text or "The gradient" in text)
    """, timeout=60)
    assert out == "True True"
