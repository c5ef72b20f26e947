"""Reading YAML and JSON text into plain data, and finding where each value was written.

Parsing takes the fast path (the libyaml C loader, the stdlib JSON decoder) and records no
positions; only when something is wrong does ``positions`` parse the text a second time to
map every document path to its line and column. Valid files, the common case, pay nothing
for error locations.
"""

from __future__ import annotations

import json
import os
import re
import stat
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any, BinaryIO

import yaml

from stakemap.errors import InputError, Problem

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_PLAYBOOK_BYTES",
    "MAX_ALIAS_VALUES",
    "MAX_DEPTH",
    "Parsed",
    "Pending",
    "Position",
    "locate_problems",
    "max_bytes_from_env",
    "max_playbook_bytes_from_env",
    "parse_text",
    "positions",
    "read_input_text",
]

DEFAULT_MAX_BYTES = 512 * 1024 * 1024
"""Larger files are refused before reading: far beyond any real portfolio, and they would
take minutes to parse. ``STAKEMAP_MAX_FILE_MB`` raises or lowers the limit."""

DEFAULT_MAX_PLAYBOOK_BYTES = 1024 * 1024
"""A playbook is a page of rules (the built-in ones are 2-4 KiB); 1 MiB is hundreds of times
that, and keeps a stray large file from being parsed as one. ``STAKEMAP_MAX_PLAYBOOK_KB``
changes it."""

MAX_DEPTH = 100
"""Deepest nesting of lists and mappings accepted in YAML. A portfolio nests five levels;
libyaml's composer recurses in C and crashes the process (a segmentation fault) on tens of
thousands of levels, so depth is checked from the event stream first. The JSON decoder
guards itself (``RecursionError`` near 1,000 levels, reported like this); JSON nested
deeper than 100 but less than that fails the schema anyway, so valid JSON pays nothing."""

MAX_ALIAS_VALUES = 10_000
"""Most values YAML aliases (``*name``) may stand for in one file, counting every value
inside each aliased collection. Aliases share objects, so a kilobyte of nested aliases
("billion laughs") stands for billions of values that validation would walk one by one."""


def read_input_text(name: str, error: type[InputError], *, limit: int | None = None,
                    what: str = "portfolio", limit_env: str = "STAKEMAP_MAX_FILE_MB",
                    encoding_fix: str | None = None) -> str:
    """The UTF-8 text of an input file (a portfolio, a playbook), or ``error`` with one
    located problem saying what is wrong with the file and what to do: missing, a folder,
    not a regular file, unreadable, over ``limit`` bytes (``limit_env`` names the setting
    that changes it), or not UTF-8 text. Never an ``OSError`` or a ``UnicodeDecodeError``
    (which the CLI would report as a crash).

    The file is stat-ed before it is opened: opening a FIFO for reading blocks until a
    writer comes (forever), and a device such as /dev/zero never ends.
    """
    try:
        info = os.stat(name)
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(name)
        if not stat.S_ISREG(info.st_mode):
            raise error([Problem(
                name, None, None, f"is {_file_kind(info.st_mode)}, not a regular file",
                f"save the {what} to a file and name that file")])
        if limit is not None and info.st_size > limit:
            raise error([Problem(
                name, None, None,
                f"file is {_mib(info.st_size)}, over the {_mib(limit)} limit for one {what}",
                f"split it into several files, or raise {limit_env}")])
        with open(name, "rb") as handle:
            raw = handle.read() if limit is None else handle.read(limit + 1)
        if limit is not None and len(raw) > limit:  # it grew after the stat
            raise error([Problem(name, None, None, f"file is over the {_mib(limit)} limit "
                                 f"for one {what}", f"raise {limit_env}")])
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
    return decode_input(raw, name, error, what=what, encoding_fix=encoding_fix)


def read_input_stream(stream: BinaryIO, name: str, error: type[InputError], *,
                      limit: int | None = None, what: str = "portfolio",
                      limit_env: str = "STAKEMAP_MAX_FILE_MB") -> str:
    """The UTF-8 text of an input read from a stream (standard input, for ``-``), under the
    same size limit and with the same one-problem errors as ``read_input_text``: a pipe has
    no size to stat, so at most ``limit`` + 1 bytes are read, which is enough to refuse it."""
    try:
        raw = stream.read() if limit is None else stream.read(limit + 1)
    except OSError as exc:
        raise error([Problem(name, None, None, f"cannot be read: {exc.strerror or exc}",
                             f"pipe the {what} in again, or name a file")]) from None
    if limit is not None and len(raw) > limit:
        raise error([Problem(name, None, None, f"input is over the {_mib(limit)} limit for "
                             f"one {what}", f"split it, or raise {limit_env}")])
    return decode_input(raw, name, error, what=what)


def decode_input(raw: bytes, name: str, error: type[InputError], *,
                 what: str = "portfolio", encoding_fix: str | None = None) -> str:
    """``raw`` as text (a UTF-8 byte-order mark dropped), or ``error`` locating the first
    byte that is not UTF-8, so a binary file gets one line, not a ``UnicodeDecodeError``
    (its hint ``encoding_fix`` when the caller knows a better one than saving as UTF-8)."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise error([Problem(
            name, line, column, "not a text file: the bytes are not UTF-8",
            encoding_fix or f"save the {what} as UTF-8 text (YAML or JSON)")]) from None


def _file_kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a plain file"


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


def max_playbook_bytes_from_env() -> int:
    """The playbook size limit: ``STAKEMAP_MAX_PLAYBOOK_KB`` or 1 MiB."""
    raw = os.environ.get("STAKEMAP_MAX_PLAYBOOK_KB")
    if raw:
        try:
            return int(float(raw) * 1024)
        except ValueError:
            pass
    return DEFAULT_MAX_PLAYBOOK_BYTES


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
        except RecursionError:  # the decoder recurses once per level
            return Parsed(None, False, [_too_deep(name, *_deep_json_position(text))])
        return Parsed(data, bool(duplicates), [])
    hostile = _check_yaml_events(text, name)
    if hostile is not None:
        return Parsed(None, False, [hostile])
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


# --- hostile YAML: aliases that explode, nesting that crashes, merge keys ------------------

def _may_be_hostile(text: str) -> bool:
    """Whether the text could hold an alias, a merge key or nesting over ``MAX_DEPTH``;
    ``False`` is certain, so files that pass skip the event scan (a third of a load).

    Flow nesting needs one ``[`` or ``{`` per level. A block collection starts at a column
    within a line's leading run of spaces and ``-``/``?``/``:`` indicators, and each level
    starts further right than its parent (a list under a key may share the key's column):
    two levels per column at most, and one more after a tag (``- !!map a: b``) on the line.
    The real danger (a crash) is thousands of levels deep; the margin is wide.
    """
    if "*" in text or "&" in text or "<<" in text:
        return True
    flow = text.count("[") + text.count("{")
    if flow >= MAX_DEPTH:
        return True
    widest = (MAX_DEPTH - flow) // 2 - 1
    prefix = rf"[ \t?:-]{{{widest},}}"
    # A line break first rather than "^" with MULTILINE: the engine skips from break to
    # break, fastest when the only break is \n (YAML also breaks at \r, NEL, LS and PS).
    breaks = "[\n\r\x85\u2028\u2029]" if any(b in text for b in _OTHER_BREAKS) else "\n"
    return bool(re.match(prefix, text) or re.search(breaks + prefix, text))


_OTHER_BREAKS = ("\r", "\x85", "\u2028", "\u2029")


def _check_yaml_events(text: str, name: str) -> Problem | None:
    """The first hostile construct in YAML text, found from libyaml's event stream before
    anything is composed (composing recurses in C, once per level): nesting deeper than
    ``MAX_DEPTH``, aliases standing for more than ``MAX_ALIAS_VALUES`` values, or a ``<<``
    merge key. A syntax error ends the scan quietly; the loader reports it, located."""
    if not _may_be_hostile(text):
        return None
    starts = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
    ends = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
    values = 0  # values written or aliased so far
    aliased = 0
    sizes: dict[str, int] = {}  # anchor -> how many values it stands for
    # per open collection: (anchor, values before it, is a mapping, items seen)
    open_: list[list[Any]] = []
    event: Any
    try:
        for event in yaml.parse(text, Loader=_Loader):
            kind = type(event)
            is_key = False
            if open_ and kind not in ends:
                open_[-1][3] += 1
                is_key = open_[-1][2] and open_[-1][3] % 2 == 1
            if kind in starts:
                if len(open_) >= MAX_DEPTH:
                    return _too_deep(name, *_mark(event))
                open_.append([event.anchor, values, kind is yaml.MappingStartEvent, 0])
                values += 1
            elif kind in ends:
                anchor, before, _, _ = open_.pop()
                if anchor is not None:
                    sizes[anchor] = values - before
            elif kind is yaml.ScalarEvent:
                values += 1
                if event.anchor is not None:
                    sizes[event.anchor] = 1
                if is_key and event.value == "<<" and not event.style:
                    return Problem(name, *_mark(event), "YAML merge keys ('<<') are not "
                                   "supported", "write the fields out in each entry")
            elif kind is yaml.AliasEvent:
                size = sizes.get(event.anchor, 1)
                values += size
                aliased += size
                if aliased > MAX_ALIAS_VALUES:
                    return Problem(
                        name, *_mark(event), f"the file uses YAML aliases that expand to "
                        f"more than {MAX_ALIAS_VALUES:,} values",
                        "write the values out, or remove the anchors (&) and aliases (*)")
    except yaml.YAMLError:
        return None
    return None


def _mark(event: Any) -> tuple[int, int]:
    return (event.start_mark.line + 1, event.start_mark.column + 1)


def _too_deep(name: str, line: int | None, column: int | None) -> Problem:
    return Problem(name, line, column,
                   f"lists and mappings are nested more than {MAX_DEPTH} levels deep",
                   "a portfolio or playbook nests a few levels; check the brackets")


def _deep_json_position(text: str) -> tuple[int | None, int | None]:
    """Where JSON first nests past ``MAX_DEPTH``: a place to show for a file the decoder
    gave up on (only on that error path)."""
    depth = 0
    in_string = escaped = False
    for index, char in enumerate(text):
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                line = text.count("\n", 0, index) + 1
                return line, index - (text.rfind("\n", 0, index) + 1) + 1
        elif char in "]}":
            depth -= 1
    return None, None


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
    read_as_bool: bool = False  # text was expected and YAML gave a boolean: say why


_YAML11_BOOLS = re.compile(r"(?:yes|no|on|off|true|false)(?=[\s,\]}#]|$)", re.IGNORECASE)


def locate_problems(pending: list[Pending], text: str, name: str) -> list[Problem]:
    """Turn pending problems into ``file:line:column`` ones, plus every duplicate key; the
    text is composed a second time only here, on the error path."""
    where = positions(text)
    lines = text.splitlines()
    problems = [_problem(p, where, name, lines) for p in pending]
    problems += [
        Problem(name, *pos, f"duplicate key '{path[-1]}' (first at line {first[0]})",
                "a key may appear once per entry; remove or merge one")
        for path, pos, first in where.duplicates
    ]
    return list(dict.fromkeys(problems))


def _problem(p: Pending, where: Positions, name: str, lines: list[str]) -> Problem:
    pos = where.find(p.path, at_key=p.at_key)
    message = p.message
    hint = p.hint
    if p.read_as_bool and pos is not None:
        hint = _bool_hint(lines, pos) or hint
    if p.first is not None:
        first = where.find(p.first)
        if first is not None:
            message += f" (first at line {first[0]})"
    line, column = pos if pos else (None, None)
    return Problem(name, line, column, message, hint)


def _bool_hint(lines: list[str], pos: Position) -> str | None:
    """The fix for an unquoted YAML 1.1 boolean word (NO, yes, on, off) where text was
    meant: YAML reads ``type: NO`` as false, which no reader of the file expects."""
    line = lines[pos[0] - 1] if 0 < pos[0] <= len(lines) else ""
    word = _YAML11_BOOLS.match(line, pos[1] - 1)
    if word is None:
        return None
    written = word.group()
    value = "true" if written.lower() in ("yes", "on", "true") else "false"
    return f"YAML reads unquoted {written} as {value}: quote it ('{written}')"
