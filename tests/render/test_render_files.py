"""Atomic writes: whole files or nothing, ordinary permissions, clear errors."""

import os
import stat

import matplotlib.pyplot as plt
import pytest

from symbackslash import RenderError
from symbackslash.render import files, save_figure, write_atomic


def test_write_replaces_whole_files_only(tmp_path):
    target = tmp_path / "out.txt"
    write_atomic(target, b"first")
    write_atomic(target, b"second")
    assert target.read_bytes() == b"second"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask


def test_a_failure_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    target = tmp_path / "out.txt"
    target.write_bytes(b"old")

    def broken(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "replace", broken)
    with pytest.raises(RenderError, match="cannot write .*out.txt: No space left"):
        write_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_destinations_are_checked(tmp_path):
    with pytest.raises(RenderError, match="directory .*missing does not exist"):
        write_atomic(tmp_path / "missing" / "x.png", b"")
    with pytest.raises(RenderError, match="is a directory"):
        write_atomic(tmp_path, b"")


def test_save_figure_by_suffix(tmp_path):
    fig = plt.figure(figsize=(1, 1))
    assert save_figure(fig, tmp_path / "a.png").read_bytes().startswith(b"\x89PNG")
    assert b"<svg" in save_figure(fig, tmp_path / "a.svg").read_bytes()
    assert save_figure(fig, tmp_path / "a.pdf").read_bytes().startswith(b"%PDF")
    with pytest.raises(RenderError, match="cannot save a figure as 'bmp'"):
        save_figure(fig, tmp_path / "a.bmp")
    first = (tmp_path / "a.png").read_bytes()
    assert save_figure(fig, tmp_path / "a.png").read_bytes() == first   # reproducible bytes


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_only_regular_files_are_replaced(tmp_path):
    pipe = tmp_path / "pipe.tex"
    os.mkfifo(pipe)
    with pytest.raises(RenderError, match="it is a named pipe, not a regular file"):
        write_atomic(pipe, b"x")
    assert stat.S_ISFIFO(pipe.stat().st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe.tex"]   # no temporary left
    if os.path.exists("/dev/null"):
        with pytest.raises(RenderError, match="/dev/null: it is a character device"):
            files.check_writable("/dev/null")


def test_save_figure_takes_what_the_drawing_functions_return(tmp_path):
    import symbackslash as sb
    G = sb.build_graph("a = x*y; f = sin(a)")
    for drawn in (sb.draw_graph(G), sb.draw_matrix(G, "L")):        # Axes, not Figures
        assert type(drawn).__name__.endswith("Axes")
        path = save_figure(drawn, tmp_path / "drawn.png")
        assert path.read_bytes().startswith(b"\x89PNG")
        plt.close(drawn.figure)
    with pytest.raises(RenderError, match="needs a matplotlib Figure or Axes"):
        save_figure([1, 2], tmp_path / "list.png")
