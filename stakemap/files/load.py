"""Load a portfolio file, reporting every problem at once as ``file:line:column: message``.

Loading runs in stages (read, parse, structure, consistency) and keeps going after a
problem wherever the later stages can still say something useful: a person with a bad
``influence`` is set aside, but the roles and references of everyone else are still checked,
and ids of set-aside entries still count as existing so one mistake is not reported twice.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any, BinaryIO, get_args

from pydantic import BaseModel, ValidationError

from stakemap._gc import paused_gc
from stakemap.errors import PortfolioError, Problem
from stakemap.files.convert import DocPath, Origins, document_to_parts, iter_entries
from stakemap.files.parse import (
    Pending,
    locate_problems,
    max_bytes_from_env,
    parse_text,
    read_input_stream,
    read_input_text,
)
from stakemap.files.schema import (
    SECTIONS,
    AuthorityEntry,
    ConsumerEntry,
    PortfolioDocument,
    ReportEntry,
    RoleEntry,
)
from stakemap.model.enums import NodeKind
from stakemap.model.integrity import (
    IdSuggester,
    Violation,
    check_cycles,
    check_edges,
    check_node,
    check_role_definitions,
    did_you_mean,
    first_role_definition,
)
from stakemap.model.nodes import NODE_TYPES, Assessment, NodeBase
from stakemap.model.portfolio import Portfolio
from stakemap.model.roles import RoleCatalog, RoleDefinition

__all__ = ["STDIN_NAME", "entry_lines", "parse_portfolio", "portfolio_text", "read_portfolio"]

_EMPTY_HINT = "a portfolio starts with 'stakemap: 2' and lists organizations:, people:, services:"


def read_portfolio(path: str | os.PathLike[str], *, max_bytes: int | None = None) -> Portfolio:
    """Read and validate a portfolio file (``.yaml``/``.yml``/``.json``).

    Raises ``PortfolioError`` listing every problem found; nothing partial is returned.
    """
    name = os.fspath(path)
    limit = max_bytes if max_bytes is not None else max_bytes_from_env()
    text = read_input_text(name, PortfolioError, limit=limit)
    with paused_gc():
        return parse_portfolio(text, name)


STDIN_NAME = "<stdin>"
"""What messages call a portfolio read from standard input (``-``)."""


def portfolio_text(path: str | os.PathLike[str], *, max_bytes: int | None = None,
                   stdin: BinaryIO | None = None) -> tuple[str, str]:
    """The name to report and the text of a portfolio file, unparsed; ``-`` is standard
    input (``stdin``, default ``sys.stdin.buffer``), named ``<stdin>``, YAML or JSON told
    apart by its content. For callers that need the text as well as the portfolio
    (``entry_lines``), and for commands that read ``-`` the way Unix tools do.

    Raises ``PortfolioError`` with one problem (missing, a folder, too large, not UTF-8).
    """
    name = os.fspath(path)
    limit = max_bytes if max_bytes is not None else max_bytes_from_env()
    if name == "-":
        import sys

        stream = stdin if stdin is not None else sys.stdin.buffer
        return STDIN_NAME, read_input_stream(stream, STDIN_NAME, PortfolioError, limit=limit)
    return name, read_input_text(name, PortfolioError, limit=limit)


def entry_lines(text: str) -> dict[str, int]:
    """The 1-based line of each node entry's ``id`` in portfolio text (YAML or JSON), by id:
    where an editor or a CI annotation should point for a finding about that node.
    Relationships (no id) are not listed; text that does not parse gives ``{}``.

    The text is composed, not constructed (JSON is YAML flow style, tabs made spaces as the
    loader's ``positions`` does): nodes keep their marks, and no values are built.
    """
    import yaml

    try:
        root = yaml.compose(text.replace("\t", " "), Loader=getattr(yaml, "CSafeLoader",
                                                                     yaml.SafeLoader))
    except (yaml.YAMLError, RecursionError):
        return {}
    found: dict[str, int] = {}
    if not isinstance(root, yaml.MappingNode):
        return found
    for section_key, section in root.value:
        if (not isinstance(section_key, yaml.ScalarNode) or section_key.value not in
                _NODE_SECTIONS or not isinstance(section, yaml.SequenceNode)):
            continue
        for entry in section.value:
            if not isinstance(entry, yaml.MappingNode):
                continue
            for key, value in entry.value:
                if (isinstance(key, yaml.ScalarNode) and key.value == "id"
                        and isinstance(value, yaml.ScalarNode)):
                    found.setdefault(value.value.strip(), key.start_mark.line + 1)
    return found


def parse_portfolio(text: str, name: str = "<portfolio>") -> Portfolio:
    """Validate portfolio text; ``name`` is used in messages and to choose YAML or JSON."""
    if not text.strip():
        raise PortfolioError([Problem(name, None, None, "file is empty", _EMPTY_HINT)])
    parsed = parse_text(text, name)
    if parsed.problems:
        raise PortfolioError(parsed.problems)
    data = parsed.data
    if data is None:
        raise PortfolioError([Problem(name, 1, 1, "file holds no data, only comments",
                                      _EMPTY_HINT)])
    if not isinstance(data, dict):
        raise PortfolioError([Problem(
            name, 1, 1, f"expected a mapping of sections, found {_kind_of(data)}", _EMPTY_HINT)])

    pending: list[Pending] = []
    try:
        document = PortfolioDocument.model_validate(data)
    except ValidationError as exc:
        pending += [_from_pydantic(err, data) for err in exc.errors()]
        name_value = data.get("name") if isinstance(data.get("name"), str) else None
        roles = _valid_entries(data, "roles")
        sections = {s: _valid_entries(data, s) for s in SECTIONS if s != "roles"}
        placeholders = _placeholders(data)
    else:
        name_value = document.name
        roles = list(enumerate(document.roles))
        sections = iter_entries(document)
        placeholders = {}
    duplicate_keys = parsed.duplicate_keys
    del parsed, data  # the raw tree is a quarter of the peak memory of a large load
    portfolio, consistency = _assemble(name_value, roles, sections, placeholders)
    pending += consistency
    if pending or duplicate_keys:
        raise PortfolioError(locate_problems(pending, text, name))
    return portfolio


def _assemble(
    name: str | None,
    role_entries: list[tuple[int, RoleDefinition]],
    sections: Mapping[str, list[tuple[int, Any]]],
    placeholders: dict[str, NodeBase],
) -> tuple[Portfolio, list[Pending]]:
    parts = document_to_parts(dict(sections))
    pending = [
        Pending((*path, "id"), f"duplicate id '{node_id}'",
                 "ids must be unique across organizations, people, services, agreements "
                 "and meetings", first=(*first, "id"))
        for node_id, path, first in parts.duplicate_nodes
    ]
    pending += [
        Pending(path, f"duplicate {edge.kind.value.replace('_', ' ')} "
                 f"'{edge.source}' -> '{edge.target}'", "remove one of them", first=first)
        for edge, path, first in parts.duplicate_edges
    ]
    nodes: dict[str, NodeBase] = {**placeholders, **{n.id: n for n in parts.nodes}}
    roles = [r for _, r in role_entries]  # role_entries keep each role's index in the file
    catalog = RoleCatalog(roles)
    violations: list[Violation] = []
    suggest = IdSuggester(nodes)  # one index of ids for all the file's unknown references
    for node in parts.nodes:
        violations += check_node(node, nodes, suggest)
    violations += check_edges(parts.edges, nodes, catalog, suggest)
    violations += check_cycles(nodes, parts.edges)
    pending += [_from_violation(v, parts.origins) for v in violations]
    for index, v in check_role_definitions(roles):
        first = first_role_definition(roles, index)
        pending.append(Pending(
            ("roles", role_entries[index][0], "id"), v.message, v.hint,
            first=None if first is None else ("roles", role_entries[first][0], "id")))
    portfolio = Portfolio.build(name=name, roles=roles, nodes=parts.nodes, edges=parts.edges)
    return portfolio, pending


def _from_violation(v: Violation, origins: Origins) -> Pending:
    path: DocPath | None = None
    if v.node is not None:
        path = origins.of_node(v.node, v.field)
    elif v.edge is not None:
        path = origins.of_edge(v.edge, v.field)
    return Pending(path or (), v.message, v.hint)


def _valid_entries(data: dict[str, Any], section: str) -> list[tuple[int, Any]]:
    """Entries of a section as valid as they can be made, for the checks after structure.

    A field that fails validation is dropped and the entry tried again, so a person with a
    bad ``influence`` still has their roles and references checked. An entry that cannot be
    made valid (a required field is wrong) is left out.
    """
    items = data.get(section)
    if not isinstance(items, list):
        return []
    model = SECTIONS[section]
    valid: list[tuple[int, Any]] = []
    for index, item in enumerate(items):
        candidate = item
        for _ in range(5):
            try:
                valid.append((index, model.model_validate(candidate)))
                break
            except ValidationError as exc:
                if not isinstance(candidate, dict):
                    break
                bad = {err["loc"][0] for err in exc.errors() if err["loc"]}
                required = {n for n, f in model.model_fields.items() if f.is_required()}
                if not bad or bad & required:
                    break
                candidate = {k: v for k, v in candidate.items() if k not in bad}
    return valid


_NODE_SECTIONS = {
    "organizations": NodeKind.ORGANIZATION, "people": NodeKind.PERSON,
    "services": NodeKind.SERVICE, "agreements": NodeKind.AGREEMENT, "meetings": NodeKind.MEETING,
}


def _placeholders(data: dict[str, Any]) -> dict[str, NodeBase]:
    """Stand-ins for entries that failed validation, so references to them are not flagged."""
    found: dict[str, NodeBase] = {}
    for section, kind in _NODE_SECTIONS.items():
        items = data.get(section)
        for item in items if isinstance(items, list) else ():
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                found[item["id"].strip()] = NODE_TYPES[kind].model_construct(id=item["id"],
                                                                             name="")
    return found


# --- pydantic errors into plain language -------------------------------------------------

_SUB_MODELS: dict[tuple[str, str], type[BaseModel]] = {
    ("people", "roles"): RoleEntry,
    ("people", "reports_to"): ReportEntry,
    ("people", "authority"): AuthorityEntry,
    ("people", "assessments"): Assessment,
    ("services", "consumers"): ConsumerEntry,
}

_SINGULAR = {
    "organizations": "organization", "people": "person", "services": "service",
    "agreements": "agreement", "meetings": "meeting", "relationships": "relationship",
    "roles": "role",
}


def _model_at(path: DocPath) -> type[BaseModel] | None:
    """The model that validates the mapping at ``path`` (for "did you mean" and ranges)."""
    names = tuple(p for p in path if isinstance(p, str))
    if not names:
        return PortfolioDocument
    if len(names) == 1:
        return SECTIONS.get(names[0])
    return _SUB_MODELS.get((names[0], names[1]))


def _where(data: dict[str, Any], loc: DocPath) -> str:
    """How to name the entry an error is in: "person 'alice'" rather than people[3]."""
    if len(loc) < 2 or not isinstance(loc[0], str) or not isinstance(loc[1], int):
        return ""
    section, index = loc[0], loc[1]
    singular = _SINGULAR.get(section, section)
    items = data.get(section)
    item = items[index] if isinstance(items, list) and index < len(items) else None
    if isinstance(item, dict):
        if isinstance(item.get("id"), str):
            return f"{singular} '{item['id']}'"
        between = item.get("between")
        if section == "relationships" and isinstance(between, list) and len(between) == 2:
            return f"relationship between '{between[0]}' and '{between[1]}'"
        ends = item.get("from"), item.get("to")
        if section == "relationships" and all(isinstance(e, str) for e in ends):
            return f"relationship from '{ends[0]}' to '{ends[1]}'"
    return f"{section} entry {index + 1}"


def _label(loc: DocPath) -> str:
    rest = loc[2:] if len(loc) >= 2 and isinstance(loc[1], int) else loc
    text = ""
    for part in rest:
        text += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text or "entry"


def _kind_of(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"{str(value).lower()} (a boolean)"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return f"text '{value[:40]}'"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _range_hint(loc: DocPath) -> str | None:
    model = _model_at(loc[:-1])
    field = model.model_fields.get(str(loc[-1])) if model else None
    if field is None:
        return None
    bounds: dict[str, Any] = {}
    for meta in field.metadata:
        for attr in ("ge", "le", "gt", "lt"):
            if getattr(meta, attr, None) is not None:
                bounds[attr] = getattr(meta, attr)
    for arg in get_args(field.annotation):
        for meta in getattr(arg, "__metadata__", ()):
            for inner in (meta, *getattr(meta, "metadata", ())):
                for attr in ("ge", "le"):
                    if getattr(inner, attr, None) is not None:
                        bounds[attr] = getattr(inner, attr)
    if "ge" in bounds and "le" in bounds:
        return f"use a value from {bounds['ge']} to {bounds['le']}"
    return None


def _from_pydantic(err: Any, data: dict[str, Any]) -> Pending:
    pending = _explain(err, data)
    # A boolean where text was wanted was most likely an unquoted NO/yes/on/off.
    pending.read_as_bool = (isinstance(err.get("input"), bool)
                            and not str(err["type"]).startswith("bool"))
    return pending


def _explain(err: Any, data: dict[str, Any]) -> Pending:
    loc: DocPath = tuple(err["loc"])
    kind: str = err["type"]
    value = err.get("input")
    ctx = err.get("ctx") or {}
    where, label = _where(data, loc), _label(loc)
    pre = f"{where}: " if where else ""
    field = loc[-1] if loc else ""

    if kind == "extra_forbidden":
        model = _model_at(loc[:-1])
        allowed = [f.alias or n for n, f in model.model_fields.items()] if model else []
        hint = did_you_mean(str(field), allowed) or f"allowed fields: {', '.join(allowed)}"
        return Pending(loc, f"{pre}unknown field '{field}'", hint, at_key=True)
    if kind == "missing":
        return Pending(loc[:-1], f"{pre}missing required field '{field}'",
                        f"add '{field}: ...' to this entry")
    if kind in ("enum", "literal_error"):
        return Pending(loc, f"{pre}{label} '{value}' is not allowed",
                        f"use one of: {ctx.get('expected', '')}")
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return Pending(loc, f"{pre}{label} is {value}, outside its range",
                        _range_hint(loc) or err["msg"].lower())
    if kind.startswith(("date_", "datetime_")):
        return Pending(loc, f"{pre}{label} '{value}' is not a valid date",
                        "write dates as YYYY-MM-DD, e.g. 2026-03-31")
    if kind in ("int_parsing", "float_parsing", "int_from_float", "int_type", "float_type"):
        return Pending(loc, f"{pre}{label} should be a number, found {_kind_of(value)}",
                        _range_hint(loc))
    if kind in ("bool_parsing", "bool_type"):
        return Pending(loc, f"{pre}{label} should be true or false, found "
                        f"{_kind_of(value)}")
    if kind in ("string_type", "str_type"):
        return Pending(loc, f"{pre}{label} should be text, found {_kind_of(value)}",
                        "quote the value")
    if kind == "string_too_short":
        return Pending(loc, f"{pre}{label} is empty", "give it a value or remove it")
    if kind == "string_too_long":
        return Pending(loc, f"{pre}{label} is too long", err["msg"].lower())
    if kind == "string_pattern_mismatch":
        return Pending(loc, f"{pre}{label} '{value}' is not a valid id",
                        "use lowercase words joined by hyphens, e.g. data-steward")
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return Pending(loc, f"{pre}{label} should be a mapping of fields, found "
                        f"{_kind_of(value)}")
    if kind in ("list_type", "tuple_type"):
        return Pending(loc, f"{pre}{label} should be a list, found {_kind_of(value)}")
    if kind in ("too_short", "too_long") and field == "between":
        return Pending(loc, f"{pre}between needs exactly two people",
                        "write between: [person-a, person-b]")
    if kind == "value_error":
        return Pending(loc, f"{pre}{ctx.get('error', err['msg'])}")
    return Pending(loc, f"{pre}{label}: {err['msg']}")
