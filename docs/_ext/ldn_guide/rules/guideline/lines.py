"""Where things are in a condition file: a path -> line map from the YAML's nodes, and names for
paths, so every message reads ``FILE:LINE: recommendation FM-1: ...``."""

from __future__ import annotations

from collections.abc import Mapping

import yaml

from .. import Problem

# libyaml's parser where PyYAML was built with it (the wheels are): ten times faster.
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def line_index(text: str) -> dict[tuple, int]:
    """Path (("recommendations", "FM-1", "text"), ...) -> 1-based line, for valid YAML text."""
    lines: dict[tuple, int] = {}
    index_lines(yaml.compose(text, Loader=LOADER), (), lines)
    return lines


def load_with_lines(text: str) -> tuple[object, list[Problem], dict[tuple, int]]:
    """YAML text as (data, problems, path -> 1-based line): the duplicate keys YAML would hide
    are problems, and text that is not YAML is one problem at its line (data None)."""
    lines: dict[tuple, int] = {}
    loader = LOADER(text)
    try:
        root = loader.get_single_node()
        problems = index_lines(root, (), lines)
        data = loader.construct_document(root) if root is not None else None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        return None, [Problem((mark.line + 1) if mark else 1, f"not valid YAML: {error}")], {}
    finally:
        loader.dispose()
    return data, problems, lines


def index_lines(node, path: tuple, lines: dict[tuple, int]) -> list[Problem]:
    """Fill ``lines`` with path -> 1-based line for every node; report duplicate keys.

    YAML silently keeps the last of two equal keys, which would hide a recommendation.
    """
    problems = []
    if node is None:
        return problems
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        seen: set = set()
        for key, value in node.value:
            name = key.value
            if name in seen:
                problems.append(Problem(key.start_mark.line + 1,
                                        f'{describe(path + (name,))}: duplicate key "{name}"; '
                                        "YAML keeps only the last one"))
            seen.add(name)
            lines[path + (name,)] = key.start_mark.line + 1  # the key's line, not the value's
            problems += index_lines(value, path + (name,), lines)
    elif isinstance(node, yaml.SequenceNode):
        for number, item in enumerate(node.value):
            problems += index_lines(item, path + (number,), lines)
    return problems


def line_of(lines: Mapping[tuple, int], *path) -> int:
    """The line of the deepest part of ``path`` that the file has (1 if none)."""
    while path:
        if path in lines:
            return lines[path]
        path = path[:-1]
    return 1


def at(lines: Mapping[tuple, int], path: tuple, message: str) -> Problem:
    """A problem reported on the line of ``path`` (as :func:`line_of` finds it)."""
    return Problem(line_of(lines, *path), message)


def describe(path: tuple) -> str:
    """Name the thing a path points into: 'recommendation FM-1', 'outcome pain', ..."""
    names = {"studies": "study", "outcomes": "outcome", "recommendations": "recommendation"}
    if len(path) >= 2 and path[0] in names:
        rest = ".".join(str(part) for part in path[2:])
        return f"{names[path[0]]} {path[1]}" + (f" {rest}" if rest else "")
    return ".".join(str(part) for part in path) or "the file"
