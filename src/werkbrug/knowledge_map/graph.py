"""Graph rules for relations: "part of" must never go round in a circle.

"A is part of B" and "B is part of A" (directly or through other items) make the tree view and
the map's grouping meaningless, so such a relation is refused. The other relation kinds may form
cycles ("see also" naturally does).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping


def reaches(edges: Mapping[int | str, Iterable[int | str]], start: int | str, goal: int | str) -> bool:
    """Is there a path start → … → goal along `edges` (source → targets)?"""
    seen = set()
    stack = [start]
    while stack:
        node = stack.pop()
        if node == goal:
            return True
        if node in seen:
            continue
        seen.add(node)
        stack.extend(edges.get(node, ()))
    return False


def would_close_cycle(edges: Mapping[int | str, Iterable[int | str]], source: int | str, target: int | str) -> bool:
    """Would adding source → target close a cycle? True when target already reaches source."""
    return source == target or reaches(edges, target, source)


def find_cycle(edges: Mapping[int | str, Iterable[int | str]]) -> list[int | str] | None:
    """One cycle in the graph as a list of nodes (first == last), or None. Iterative DFS."""
    white, grey, black = 0, 1, 2
    colour: dict = {}
    for root in list(edges):
        if colour.get(root, white) != white:
            continue
        path: list = []
        stack = [(root, iter(edges.get(root, ())))]
        colour[root] = grey
        path.append(root)
        while stack:
            node, children = stack[-1]
            advanced = False
            for child in children:
                state = colour.get(child, white)
                if state == grey:
                    return path[path.index(child):] + [child]
                if state == white:
                    colour[child] = grey
                    path.append(child)
                    stack.append((child, iter(edges.get(child, ()))))
                    advanced = True
                    break
            if not advanced:
                colour[node] = black
                path.pop()
                stack.pop()
    return None
