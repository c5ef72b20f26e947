"""Reading YAML and JSON text into plain data, and finding where each value was written.

Parsing takes the fast path (the libyaml C loader, the stdlib JSON decoder) and records no
positions; only when something is wrong does ``positions`` parse the text a second time to
map every document path to its line and column. Valid files, the common case, pay nothing
for error locations.
"""

from __future__ import annotations

import json
import os
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

import yaml

from stakemap.errors import InputError, Problem

__all__ = [
    "DEFAULT_MAX_BYTES",
    "Parsed",
    "Pending",
    "Position",
    "locate_problems",
    "max_bytes_from_env",
    "parse_text",
    "positions",
    "read_input_text",
]

DEFAULT_MAX_BYTES = 512 * 1024 * 1024
"""Larger files are refused before reading: far beyond any real portfolio, and they would
take minutes to parse. ``STAKEMAP_MAX_FILE_MB`` raises or lowers the limit."""

def read_input_text(name: str, error: type[InputError], *, limit: int | None = None,
                    what: str = "portfolio") -> str:
    """The UTF-8 text of an input file (a portfolio, a playbook), or ``error`` with one
    located problem saying what is wrong with the file and what to do: missing, a folder,
    unreadable, over ``limit`` bytes, or not UTF-8 text. Never an ``OSError`` or a
    ``UnicodeDecodeError`` (which the CLI would report as a crash)."""
    try:
        if limit is not None:
            size = os.stat(name).st_size
            if size > limit:
                raise error([Problem(
                    name, None, None,
                    f"file is {_mib(size)}, over the {_mib(limit)} limit for one {what}",
                    "split it into several files, or raise STAKEMAP_MAX_FILE_MB")])
        with open(name, "rb") as handle:
            raw = handle.read()
    except FileNotFoundError:
        raise error([Problem(name, None, None, "file not found", "check the path")]) from None
    except IsADirectoryError:
        raise error([Problem(name, None, None, "is a directory, not a file",
                             "name a .yaml or .json file")]) from None
    except PermissionError:
        raise error([Problem(name, None, None, "permission denied",
                             "check the file's permissions")]) from None
    except OSError as exc:
        raise error([Problem(name, None, None, f"cannot be read: {exc.strerror or exc}",
                             "check the path")]) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise error([Problem(
            name, line, column, "not a text file: the bytes are not UTF-8",
            f"save the {what} as UTF-8 text (YAML or JSON)")]) from None


def _mib(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MiB"


Position = tuple[int, int]  # 1-based line and column
DocPath = tuple[str | int, ...]

_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def max_bytes_from_env() -> int:
    raw = os.environ.get("STAKEMAP_MAX_FILE_MB")
    if raw:
        try:
            return int(float(raw) * 1024 * 1024)
        except ValueError:
            pass
    return DEFAULT_MAX_BYTES


class _CheckedLoader(_Loader):  # type: ignore[misc,valid-type]
    """The C loader, but noticing duplicate mapping keys instead of silently keeping the last."""

    duplicate_keys = False

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        mapping: dict[Any, Any] = super().construct_mapping(node, deep=deep)
        if len(mapping) != len(node.value):
            self.duplicate_keys = True
        return mapping

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> Any:
        """Keep an impossible date (2026-02-30) as text so validation can point at it."""
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            return self.construct_scalar(node)


_CheckedLoader.add_constructor(
    "tag:yaml.org,2002:timestamp", _CheckedLoader.construct_yaml_timestamp
)


@dataclass
class Parsed:
    """Plain data from a file, or the problems that stopped it being read."""

    data: Any
    duplicate_keys: bool
    problems: list[Problem]


def is_json(name: str, text: str) -> bool:
    """JSON by extension; for anything else, JSON if it starts like a JSON object."""
    lowered = name.lower()
    if lowered.endswith(".json"):
        return True
    if lowered.endswith((".yaml", ".yml")):
        return False
    return text.lstrip()[:1] == "{"


def parse_text(text: str, name: str) -> Parsed:
    """Parse YAML or JSON (chosen by ``is_json``); syntax errors come back as problems."""
    if is_json(name, text):
        duplicates: list[bool] = []

        def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
            result = dict(items)
            if len(result) != len(items):
                duplicates.append(True)
            return result

        try:
            data = json.loads(text, object_pairs_hook=pairs)
        except json.JSONDecodeError as exc:
            return Parsed(None, False, [Problem(name, exc.lineno, exc.colno,
                                               f"not valid JSON: {exc.msg}")])
        return Parsed(data, bool(duplicates), [])
    loader = _CheckedLoader(text)
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        reason = exc.problem or exc.context or "unreadable"
        if exc.context and exc.context_mark and exc.problem_mark:
            reason += f" ({exc.context} that starts at line {exc.context_mark.line + 1})"
        line, col = (mark.line + 1, mark.column + 1) if mark else (None, None)
        lines = text.splitlines()
        bad_line = lines[mark.line] if mark and mark.line < len(lines) else ""
        return Parsed(None, False, [Problem(name, line, col, f"not valid YAML: {reason}",
                                            _yaml_hint(reason, bad_line))])
    except yaml.YAMLError as exc:
        return Parsed(None, False, [Problem(name, None, None, f"not valid YAML: {exc}")])
    finally:
        loader.dispose()
    return Parsed(data, loader.duplicate_keys, [])


def _yaml_hint(reason: str, line: str) -> str | None:
    if "\t" in line[: len(line) - len(line.lstrip())] or "tab" in reason:
        return "indent with spaces, not tabs"
    if "mapping values are not allowed" in reason:
        return "quote values that contain ': ' (e.g. title: \"VP: Operations\")"
    return None


@dataclass
class Positions:
    """Line and column of every key and value in a document, by path."""

    keys: dict[DocPath, Position]
    values: dict[DocPath, Position]
    duplicates: list[tuple[DocPath, Position, Position]]

    def find(self, path: DocPath, *, at_key: bool = False) -> Position | None:
        """The position of ``path``, or of its nearest ancestor that was written down."""
        probe = path
        while True:
            table = self.keys if at_key and probe == path else self.values
            pos = table.get(probe) or self.keys.get(probe)
            if pos is not None or not probe:
                return pos
            probe = probe[:-1]


def positions(text: str) -> Positions:
    """Map each path to where it was written, and find duplicate keys (YAML and JSON alike).

    JSON is read through the YAML composer: JSON documents are YAML flow mappings, and tabs
    (legal JSON whitespace, illegal YAML indentation) become spaces without moving a column.
    """
    result = Positions({}, {}, [])
    try:
        root = yaml.compose(text.replace("\t", " "), Loader=_Loader)
    except yaml.YAMLError:
        return result
    if root is None:
        return result
    stack: list[tuple[yaml.Node, DocPath]] = [(root, ())]
    while stack:
        node, path = stack.pop()
        result.values[path] = _pos(node)
        if isinstance(node, yaml.MappingNode):
            seen: dict[Hashable, Position] = {}
            for key_node, value_node in node.value:
                key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
                if not isinstance(key, str):
                    continue
                child = (*path, key)
                if key in seen:
                    result.duplicates.append((child, _pos(key_node), seen[key]))
                    continue
                seen[key] = _pos(key_node)
                result.keys[child] = _pos(key_node)
                stack.append((value_node, child))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, (*path, i)) for i, item in enumerate(node.value))
    return result


def _pos(node: yaml.Node) -> Position:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


@dataclass
class Pending:
    """A problem whose place is a document path, resolved to line:column once at the end."""

    path: DocPath
    message: str
    hint: str | None = None
    at_key: bool = False
    first: DocPath | None = None  # for duplicates: where the original was written


def locate_problems(pending: list[Pending], text: str, name: str) -> list[Problem]:
    """Turn pending problems into ``file:line:column`` ones, plus every duplicate key; the
    text is composed a second time only here, on the error path."""
    where = positions(text)
    problems = [_problem(p, where, name) for p in pending]
    problems += [
        Problem(name, *pos, f"duplicate key '{path[-1]}' (first at line {first[0]})",
                "a key may appear once per entry; remove or merge one")
        for path, pos, first in where.duplicates
    ]
    return list(dict.fromkeys(problems))


def _problem(p: Pending, where: Positions, name: str) -> Problem:
    pos = where.find(p.path, at_key=p.at_key)
    message = p.message
    if p.first is not None:
        first = where.find(p.first)
        if first is not None:
            message += f" (first at line {first[0]})"
    line, column = pos if pos else (None, None)
    return Problem(name, line, column, message, p.hint)
