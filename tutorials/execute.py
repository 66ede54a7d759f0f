"""Run the tutorials top to bottom and store their outputs, which a code host then shows.

    python tutorials/execute.py                  # every notebook; outputs written back
    python tutorials/execute.py 02_back_substitution.ipynb
    python tutorials/execute.py --check          # run them all, write nothing

Each notebook runs in a fresh kernel (the ``python3`` kernel of this environment) with a
temporary working directory, so the files a tutorial writes land there, not in the source
tree. A cell that raises stops the run with its traceback. Outputs are kept stable (no
timing metadata, no object addresses, each stream in one piece) and notebooks are written
atomically, so a re-run changes only what the code changed. The test suite
(tests/test_tutorials.py) runs the same :func:`execute`.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

HERE = Path(__file__).resolve().parent

#: Seconds a single cell may take before the run is stopped.
CELL_TIMEOUT = 120


def notebooks() -> list[Path]:
    """The tutorials, in reading order."""
    return sorted(HERE.glob("[0-9][0-9]_*.ipynb"))


#: Kernel starts tried per notebook before its failure to start is reported.
STARTS = 3


def execute(path: Path) -> nbformat.NotebookNode:
    """Run the notebook at ``path`` in a fresh kernel and return it with its new outputs.

    Raises nbclient's ``CellExecutionError`` (with the cell and its traceback) when a cell
    fails.
    """
    for attempt in range(STARTS):
        nb = nbformat.read(path, as_version=4)
        with tempfile.TemporaryDirectory(prefix="symbackslash-tutorial-") as folder:
            client = NotebookClient(nb, timeout=CELL_TIMEOUT, kernel_name="python3",
                                    record_timing=False,
                                    resources={"metadata": {"path": folder}})
            try:
                # The kernel's own log (not the cells' output, which comes by messages) is
                # dropped.
                client.execute(stderr=subprocess.DEVNULL)
            except RuntimeError as err:
                # Kernels started at the same moment can pick the same free port, and one
                # dies before it answers; start it again. Failing cells are not retried
                # (nbclient raises CellExecutionError for them).
                if "Kernel died before replying" not in str(err) or attempt == STARTS - 1:
                    raise
                continue
        return stable(nb)
    raise AssertionError("unreachable")


#: Object addresses in default reprs (``<… at 0x7f3d89df28d0>``): different on every run.
ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+>")


def stable(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The same outputs on every run: consecutive prints to one stream are one output (the
    kernel may send them in pieces), and object addresses are left out of plain-text reprs."""
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        outputs = []
        for out in cell.outputs:
            previous = outputs[-1] if outputs else None
            if (out.output_type == "stream" and previous is not None
                    and previous.output_type == "stream" and previous.name == out.name):
                previous.text += out.text
                continue
            if "text/plain" in out.get("data", {}):
                out.data["text/plain"] = ADDRESS.sub(">", out.data["text/plain"])
            outputs.append(out)
        cell.outputs = outputs
    return nb


def write(nb: nbformat.NotebookNode, path: Path) -> None:
    """Write a notebook through a temporary file and a rename (whole files or nothing)."""
    temporary = path.with_name(f".{path.name}.tmp")
    nbformat.write(nb, temporary)
    os.replace(temporary, path)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", help="notebooks (default: all of them)")
    parser.add_argument("--check", action="store_true", help="run them, but write nothing")
    args = parser.parse_args(argv)
    paths = [HERE / name for name in args.names] or notebooks()
    for path in paths:
        start = time.perf_counter()
        nb = execute(path)
        if not args.check:
            write(nb, path)
        print(f"{path.name}: {time.perf_counter() - start:.1f} s"
              f"{'' if args.check else ', outputs written'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
