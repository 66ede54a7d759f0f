"""Shared settings of the generated differential tests (test_differential_*.py).

CI runs a fixed, derandomized budget of examples; ``SYMBACKSLASH_LONG=1`` selects the long
run (at least 10,000 scalar and 2,000 matrix examples, random seeds);
``SYMBACKSLASH_EXAMPLES=n`` sets the long run's count, to split it into shards run side by
side (each shard draws its own random examples).
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, Phase, settings

LONG = os.environ.get("SYMBACKSLASH_LONG") == "1"

#: Examples per run: (CI, long run).
BUDGET = {"scalar": (200, 10_000), "matrix": (60, 2_000)}


def budget(kind: str) -> settings:
    """The settings of one generated test: no deadline (SymPy's first call of a function
    is slow), no example database; CI's examples are the same on every run; the long run
    reports its first counterexample unshrunk (shrinking SymPy expressions takes minutes)."""
    ci, long = BUDGET[kind]
    long = int(os.environ.get("SYMBACKSLASH_EXAMPLES", long))  # a shard of the long run
    phases = [Phase.explicit, Phase.generate] if LONG else list(Phase)  # long: no shrinking
    return settings(max_examples=long if LONG else ci, deadline=None, database=None,
                    derandomize=not LONG, phases=phases, report_multiple_bugs=False,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                           HealthCheck.data_too_large])


def record(kind: str, outcome: str) -> None:
    """With ``SYMBACKSLASH_PROGRESS=path``, append one line per example to ``path`` (how far
    a long run got, and how many examples were valid)."""
    path = os.environ.get("SYMBACKSLASH_PROGRESS")
    if path:
        with open(path, "a") as log:
            log.write(f"{kind} {outcome}\n")
