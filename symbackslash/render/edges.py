"""The edges of a graph figure: arcs around the boxes in their way, a spot for each weight.

:func:`bend` gives an edge the curvature that clears the boxes between its ends;
:func:`place_labels` puts each weight label on its edge, clear of the boxes and of the labels
placed before where it can be. Positions and sizes are in inches, boxes ``(width, height)``.
"""

from __future__ import annotations

import math

__all__ = ["bend", "place_labels"]


def bend(edge, pos, box, layout, index) -> float:
    """Curvature (arc3 ``rad``) for an edge whose straight line would cross a box in between.

    The arc bends away from the boxes in its way and clears them; longer edges bulge further
    (nested arcs do not share a label position); an edge with boxes right on its line bends
    up or down by the parity of its source's index (parallel long edges alternate sides).
    """
    u, v = edge
    span = layout.layer[v] - layout.layer[u]
    if span < 2:
        return 0.0
    (ax_, ay), (bx, by) = pos[u], pos[v]
    dx, dy = bx - ax_, by - ay
    length = math.hypot(dx, dy)
    blockers = []
    for k in range(layout.layer[u] + 1, layout.layer[v]):
        for w in layout.layers[k]:
            wx, wy = pos[w]
            cross = (dx * (wy - ay) - dy * (wx - ax_)) / length   # > 0: left of the edge
            reach = (box[w][0] / 2 * abs(dy) + box[w][1] / 2 * abs(dx)) / length + 0.12
            if abs(cross) < reach:
                blockers.append((cross, reach))
    if not blockers:
        return 0.0
    side = sum(c for c, _ in blockers)
    up = side < 0 if abs(side) > 1e-9 else index[u] % 2 == 1
    # bending to the left of the edge (up for a rightward edge) is arc3's negative rad
    need = max(reach + (c if up else -c) for c, reach in blockers) + 0.3 * (span - 2)
    rad = min(max(2 * need / length, 0.12), 0.9)
    return -rad if up else rad


def _point_on(edge, t, pos, rad) -> tuple[float, float]:
    """The point at parameter t of an edge's line or arc (arc3: quadratic Bézier)."""
    (x1, y1), (x2, y2) = pos[edge[0]], pos[edge[1]]
    r = rad[edge]
    cx, cy = (x1 + x2) / 2 + r * (y2 - y1), (y1 + y2) / 2 - r * (x2 - x1)
    s = 1 - t
    return (s * s * x1 + 2 * s * t * cx + t * t * x2,
            s * s * y1 + 2 * s * t * cy + t * t * y2)


def place_labels(G, pos, box, rad, labels) -> dict:
    """A spot for each edge label on its edge, avoiding boxes and labels placed before.

    Tries the middle of the visible part first, then points nearer either end; takes the
    first spot that overlaps nothing, else the one that overlaps least.
    """
    rects = [(pos[v][0], pos[v][1], box[v][0] / 2 + 0.04, box[v][1] / 2 + 0.04) for v in G]
    placed = {}
    for edge in sorted(labels, key=lambda e: (pos[e[0]][0], -pos[e[0]][1], pos[e[1]][0])):
        lab = labels[edge]
        half_w, half_h = lab.width / 144 + 0.03, lab.height / 144 + 0.03
        start, end = _visible(edge, pos, box, rad)
        best, best_overlap = None, math.inf
        for f in (0.5, 0.36, 0.64, 0.24, 0.76):
            x, y = _point_on(edge, start + f * (end - start), pos, rad)
            overlap = sum(_overlap((x, y, half_w, half_h), r) for r in rects)
            if overlap < best_overlap:
                best, best_overlap = (x, y), overlap
            if overlap == 0:
                break
        placed[edge] = best
        rects.append((*best, half_w, half_h))
    return placed


def _visible(edge, pos, box, rad) -> tuple[float, float]:
    """The parameter range of an edge outside its two boxes (straight edges; arcs: 0.1–0.9)."""
    if rad[edge]:
        return 0.1, 0.9
    (x1, y1), (x2, y2) = pos[edge[0]], pos[edge[1]]
    dx, dy = x2 - x1, y2 - y1

    def inside(w):
        half_w, half_h = box[w][0] / 2, box[w][1] / 2
        return min(half_w / abs(dx) if dx else math.inf, half_h / abs(dy) if dy else math.inf)

    return inside(edge[0]), 1 - inside(edge[1])


def _overlap(a, b) -> float:
    """Overlap area of two rectangles given as (centre x, centre y, half width, half height)."""
    w = min(a[0] + a[2], b[0] + b[2]) - max(a[0] - a[2], b[0] - b[2])
    h = min(a[1] + a[3], b[1] + b[3]) - max(a[1] - a[3], b[1] - b[3])
    return w * h if w > 0 and h > 0 else 0.0
