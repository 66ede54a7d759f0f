"""Golden files: expected outputs kept in tests/golden/, compared exactly.

Run ``SYMBACKSLASH_REGENERATE_GOLDEN=1 pytest tests/test_derivation.py`` to rewrite them
after a deliberate change, then read the diff before committing it.
"""

from __future__ import annotations

import os
from pathlib import Path

GOLDEN = Path(__file__).parent / "golden"


def check_golden(name: str, actual: str) -> None:
    path = GOLDEN / name
    if os.environ.get("SYMBACKSLASH_REGENERATE_GOLDEN") == "1":
        path.write_text(actual, encoding="utf-8")
    expected = path.read_text(encoding="utf-8")
    assert actual == expected, f"{name} differs from tests/golden/{name}"
