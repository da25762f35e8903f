"""Where each box of the map goes: a layered drawing in columns (left to right in
event-storming order), domain boxes holding their members, rows ordered to cross few links.

The layout is our own rather than a library's: the Sugiyama implementations on PyPI
(grandalf) place a flat graph, but the map's domains are boxes that must hold their events
together (a compound graph), and its columns are fixed by what each node is. Within a column
the order comes from the barycenter heuristic (Sugiyama, Tagawa and Toda 1981): a few sweeps
that sort each column by the mean position of its neighbours in the column before, ties broken
by name, so the result is deterministic. Units are SVG user units (pixels at 100 %).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace

from app.core.landscape.graph import Graph, Link, Node

NODE_WIDTH = 210
ROW = 26  # a node's height
NOTED_ROW = 40  # a node with a count line under its label
GAP = 6  # between two nodes of a column
GROUP_HEAD = 22  # a domain box's heading
GROUP_PAD = 8  # around a domain box's members
GROUP_GAP = 14  # between two boxes (or a box and a node) of a column
COLUMN_GAP = 150  # the room links have between two columns
MARGIN = 16
HEADING = 30  # the columns' headings
SWEEPS = 4
GROUP_WIDTH = NODE_WIDTH + 2 * GROUP_PAD
CHAR_WIDTH = 8  # a wide-ish character of the map's 13 px sans-serif, for cutting labels


@dataclass(frozen=True)
class Box:
    """A rectangle: top-left corner and size."""

    x: int
    y: int
    width: int
    height: int

    def overlaps(self, other: Box) -> bool:
        """Whether the two rectangles share any area."""
        return (
            self.x < other.x + other.width
            and other.x < self.x + self.width
            and self.y < other.y + other.height
            and other.y < self.y + self.height
        )


@dataclass(frozen=True)
class Placed:
    """A node and its box; ``text`` its label and ``note`` its count line, each cut to fit
    (the whole label and note go in a title)."""

    node: Node
    box: Box
    text: str
    note: str = ""


@dataclass(frozen=True)
class GroupBox:
    """A domain's box in one column, with the domain's slug and name; ``text`` the name cut
    to the box's heading, as a node's label is (the whole name goes in a title)."""

    slug: str
    label: str
    box: Box
    text: str


@dataclass(frozen=True)
class Route:
    """A link's curve from the right middle of its source to the left middle of its target,
    as an SVG path (``d``)."""

    link: Link
    d: str


@dataclass(frozen=True)
class Drawing:
    """The map placed: its size, each column's heading and left edge, the nodes, the domain
    boxes and the links' routes."""

    width: int
    height: int
    headings: tuple[tuple[str, int], ...]
    nodes: tuple[Placed, ...]
    groups: tuple[GroupBox, ...]
    routes: tuple[Route, ...]


def cut(label: str, width: int = NODE_WIDTH - 12) -> str:
    """The label, cut with an ellipsis when it would not fit ``width`` units: the one rule for
    every text drawn in a box (nodes' labels and notes, domain boxes' headings)."""
    most = max(4, width // CHAR_WIDTH)
    return label if len(label) <= most else label[: most - 1] + "…"


def layout(graph: Graph) -> Drawing:
    """Place the graph: a pure function of its nodes and links (same graph, same drawing).
    Nodes never overlap one another, domain boxes never overlap, and each node of a domain
    sits inside that domain's box."""
    columns = _ordered(graph)
    placed, groups, heights = [], [], []
    for index, column in enumerate(columns):
        x = MARGIN + index * (NODE_WIDTH + 2 * GROUP_PAD + COLUMN_GAP)
        nodes, boxes, bottom = _stack(column, x, graph.groups)
        placed.append(nodes)
        groups.append(boxes)
        heights.append(bottom)
    tallest = max(heights, default=MARGIN + HEADING)
    # Shorter columns are centred beside the tallest, so their links stay short.
    for index, bottom in enumerate(heights):
        shift = (tallest - bottom) // 2
        placed[index] = [_moved(p, shift) for p in placed[index]]
        groups[index] = [replace(g, box=_shifted(g.box, shift)) for g in groups[index]]
    boxes = {p.node.key: p.box for column in placed for p in column}
    routes = [_route(link, boxes) for link in graph.links if link.source in boxes]
    width = MARGIN + len(columns) * (NODE_WIDTH + 2 * GROUP_PAD) + (len(columns) - 1) * COLUMN_GAP
    return Drawing(
        width=max(width + MARGIN, 2 * MARGIN),
        height=tallest + MARGIN,
        headings=tuple(
            (title, MARGIN + i * (NODE_WIDTH + 2 * GROUP_PAD + COLUMN_GAP))
            for i, title in enumerate(graph.columns)
        ),
        nodes=tuple(p for column in placed for p in column),
        groups=tuple(g for column in groups for g in column),
        routes=tuple(r for r in routes if r is not None),
    )


def _ordered(graph: Graph) -> list[list[Node]]:
    """Each column's nodes in drawing order, after the barycenter sweeps."""
    count = max([len(graph.columns)] + [n.column + 1 for n in graph.nodes])
    columns: list[list[Node]] = [[] for _ in range(count)]
    for node in sorted(graph.nodes, key=lambda n: (n.group or "", n.label, n.key)):
        columns[node.column].append(node)
    near: dict[str, list[str]] = defaultdict(list)
    for link in graph.links:
        near[link.source].append(link.target)
        near[link.target].append(link.source)
    for sweep in range(SWEEPS):
        order = range(1, count) if sweep % 2 == 0 else range(count - 2, -1, -1)
        for index in order:
            beside = index - 1 if sweep % 2 == 0 else index + 1
            where = {n.key: i for i, n in enumerate(columns[beside])}
            columns[index] = _sorted(columns[index], near, where)
    return columns


def _sorted(column: list[Node], near: dict[str, list[str]], where: dict[str, int]) -> list[Node]:
    """The column sorted by barycenter, a domain's nodes kept together (the domain placed by
    its members' mean)."""
    current = {n.key: i for i, n in enumerate(column)}

    def centre(node: Node) -> float:
        seen = [where[k] for k in near[node.key] if k in where]
        return sum(seen) / len(seen) if seen else float(current[node.key])

    units: dict[str, list[Node]] = defaultdict(list)
    for node in column:
        units[node.group if node.group is not None else f"\0{node.key}"].append(node)
    ranked = []
    for unit, members in units.items():
        members.sort(key=lambda n: (centre(n), n.label, n.key))
        mean = sum(centre(n) for n in members) / len(members)
        ranked.append((mean, unit, members))
    ranked.sort(key=lambda each: (each[0], each[1]))
    return [node for _mean, _unit, members in ranked for node in members]


def _stack(
    column: Sequence[Node], x: int, names: dict[str, str]
) -> tuple[list[Placed], list[GroupBox], int]:
    """Place one column's nodes from the top: a domain box around each run of a domain's
    nodes. Returns the nodes, the boxes and the column's bottom."""
    placed: list[Placed] = []
    groups: list[GroupBox] = []
    y = MARGIN + HEADING
    index = 0
    while index < len(column):
        group = column[index].group
        run = [column[index]]
        while group is not None and index + len(run) < len(column):
            if column[index + len(run)].group != group:
                break
            run.append(column[index + len(run)])
        top = y
        y += GROUP_HEAD if group is not None else 0
        for node in run:
            height = NOTED_ROW if node.note else ROW
            box = Box(x + GROUP_PAD, y, NODE_WIDTH, height)
            placed.append(Placed(node, box, cut(node.label), cut(node.note) if node.note else ""))
            y += height + GAP
        if group is not None:
            y += GROUP_PAD - GAP
            label = names.get(group, group)
            box = Box(x, top, GROUP_WIDTH, y - top)
            groups.append(GroupBox(group, label, box, cut(label, GROUP_WIDTH - 2 * GROUP_PAD)))
        y += GROUP_GAP
        index += len(run)
    return placed, groups, y


def _shifted(box: Box, dy: int) -> Box:
    return Box(box.x, box.y + dy, box.width, box.height)


def _moved(placed: Placed, dy: int) -> Placed:
    return replace(placed, box=_shifted(placed.box, dy))


def _route(link: Link, boxes: dict[str, Box]) -> Route | None:
    start, end = boxes.get(link.source), boxes.get(link.target)
    if start is None or end is None:
        return None
    x1, y1 = start.x + start.width, start.y + start.height // 2
    x2, y2 = end.x, end.y + end.height // 2
    bend = (x2 - x1) // 2
    return Route(link, f"M{x1},{y1} C{x1 + bend},{y1} {x2 - bend},{y2} {x2},{y2}")
