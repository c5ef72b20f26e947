"""Playbooks: named, versioned sets of gap rules, written in YAML.

A playbook lists rules; it may ``extends`` others (built-in names or files). A rule entry
with a ``type`` adds a rule, or replaces the inherited rule with the same ``id``; an entry
with only an ``id`` and some fields patches the inherited rule (``{id: stale-relationship,
days: 60}``, ``{id: end-user-missing, enabled: false}``). A broken playbook gets the same
``file:line:column: message; fix`` errors as a broken portfolio, all at once.

Checks beyond the fields' own types, so a mistake fails at load time instead of silently
finding nothing: two rules with the same ``id`` in one file's own ``rules:`` (the second is
reported; replacing or patching an *inherited* rule by id stays allowed); an ``extends``
entry naming no file and no built-in playbook (located at that entry); and a role in a
``required-role`` rule that is a near miss of a built-in role id (``acount-manager``). A role
id that is not built in and not close to one is left alone: a portfolio may declare its own
roles under ``roles:``, and the playbook does not know which portfolio it will run with.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from stakemap.errors import PlaybookError, Problem
from stakemap.files.parse import max_playbook_bytes_from_env, read_input_text
from stakemap.files.schema import JSON_SCHEMA_DIALECT, FileSchema
from stakemap.model.integrity import did_you_mean
from stakemap.model.roles import BUILTIN_ROLES
from stakemap.rules import RULE_TYPES, RequiredRole, Rule, RuleBase

__all__ = ["BUILTIN_PLAYBOOKS", "Playbook", "load_playbook", "playbook_schema",
           "playbook_source", "resolve_playbooks"]

BUILTIN_PLAYBOOKS = ("default", "msp-account-team", "account-trio", "it-customer-team",
                     "network")
_RULE = TypeAdapter(Rule)
_BUILTIN_ROLE_IDS = tuple(r.id for r in BUILTIN_ROLES)


class Playbook(BaseModel):
    """A resolved playbook: its own identity and the full, ordered list of rules."""

    model_config = ConfigDict(frozen=True)

    name: str
    version: int = 1
    description: str = ""
    source: str = Field("", description="built-in name or file path it came from")
    rules: tuple[RuleBase, ...] = ()

    def enabled(self) -> list[RuleBase]:
        return [r for r in self.rules if r.enabled]


PLAYBOOK_SCHEMA_ID = "https://stakemap.dev/schema/playbook-1.json"


class _Document(BaseModel):
    """A playbook file: named, versioned gap rules, optionally extending other playbooks."""

    model_config = ConfigDict(extra="forbid", title="stakemap playbook",
                              json_schema_extra={"$id": PLAYBOOK_SCHEMA_ID})

    schema_: str | None = Field(None, alias="$schema", title="$schema",
                                description="the JSON Schema this file follows (for "
                                            "editors); ignored when loading")
    playbook: str = Field(min_length=1)
    version: int = Field(1, ge=1)
    description: str = ""
    extends: list[str] = []
    rules: list[dict[str, Any]] = []


def playbook_schema() -> dict[str, Any]:
    """The JSON Schema of playbook files (``stakemap schema --playbook``), for editors.

    Made from the models ``_parse`` reads with, so it cannot drift from them: the document
    (``_Document``) and one model per rule type (``RULE_TYPES``). A rule entry with a
    ``type`` is checked against that type's model (``id`` and ``type`` required, as the
    parser requires them); one without is a patch of an inherited rule, which may set any
    field some rule type has (which type it patches is known only once ``extends`` is
    resolved, so the parser checks the rest).
    """
    from pydantic.json_schema import models_json_schema

    types = dict(RULE_TYPES)
    keys, top = models_json_schema(
        [(_Document, "validation"), *((cls, "validation") for cls in types.values())],
        by_alias=True, schema_generator=FileSchema)
    defs: dict[str, Any] = top["$defs"]
    document = defs.pop(keys[(_Document, "validation")]["$ref"].rsplit("/", 1)[1])
    patchable: dict[str, list[Any]] = {}
    checks: list[dict[str, Any]] = []
    for name, cls in types.items():
        ref = keys[(cls, "validation")]
        rule = defs[ref["$ref"].rsplit("/", 1)[1]]
        rule["required"] = sorted({"id", "type", *rule.get("required", ())})
        for field, field_schema in rule["properties"].items():
            if field != "type" and field_schema not in patchable.setdefault(field, []):
                patchable[field].append(field_schema)
        checks.append({"if": {"properties": {"type": {"const": name}}, "required": ["type"]},
                       "then": ref})
    patch = {
        "title": "a patch of an inherited rule: its id and the fields to change",
        "properties": {field: forms[0] if len(forms) == 1 else {"anyOf": forms}
                       for field, forms in patchable.items()},
        "additionalProperties": False,
    }
    checks.append({"if": {"not": {"required": ["type"]}}, "then": patch})
    document["properties"]["rules"]["items"] = {
        "type": "object",
        "required": ["id"],
        "properties": {"type": {"enum": list(types), "description": "the rule type; leave "
                                "out to patch the inherited rule with this id"}},
        "allOf": checks,
    }
    return {"$schema": JSON_SCHEMA_DIALECT, **document, "$defs": defs}


def builtin_text(name: str) -> str:
    return resources.files("stakemap.analysis").joinpath(f"playbooks/{name}.yaml").read_text(
        encoding="utf-8")


def playbook_source(name_or_path: str | os.PathLike[str]) -> str:
    """The YAML text of a built-in playbook or a playbook file, as written."""
    key = str(name_or_path)
    if key in BUILTIN_PLAYBOOKS:
        return builtin_text(key)
    load_playbook(key)  # a missing or broken file: the usual located errors
    return _read(key)


def load_playbook(name_or_path: str | os.PathLike[str], *, _seen: tuple[str, ...] = ()
                  ) -> Playbook:
    """A built-in playbook by name, or a playbook file, with everything it extends resolved."""
    key = str(name_or_path)
    if key in _seen:
        raise PlaybookError([Problem(key, None, None,
                                     f"playbooks extend each other in a loop: "
                                     f"{' -> '.join((*_seen, key))}",
                                     "remove one of the 'extends' entries")])
    if key in BUILTIN_PLAYBOOKS:
        return _parse(builtin_text(key), f"<built-in playbook {key}>", key, (*_seen, key))
    path = Path(key)
    if not path.exists() or path.is_dir():  # a FIFO or a device: read_input_text says why
        raise PlaybookError([Problem(
            key, None, None, "no such playbook file or built-in playbook",
            f"use a file path or one of: {', '.join(BUILTIN_PLAYBOOKS)}")])
    return _parse(_read(key), key, key, (*_seen, key), base=path.parent)


def _read(path: str) -> str:
    """A playbook file's text; larger than ``STAKEMAP_MAX_PLAYBOOK_KB`` (1 MiB) is refused
    before reading, like an oversized portfolio."""
    return read_input_text(path, PlaybookError, what="playbook",
                           limit=max_playbook_bytes_from_env(),
                           limit_env="STAKEMAP_MAX_PLAYBOOK_KB")


def resolve_playbooks(names: list[str] | tuple[str, ...]) -> Playbook:
    """Several playbooks given at once act as one that extends them all, in order."""
    if not names:
        return load_playbook("default")
    if len(names) == 1:
        return load_playbook(names[0])
    merged: dict[str, RuleBase] = {}
    for name in names:
        for rule in load_playbook(name).rules:
            merged[rule.id] = rule
    return Playbook(name=" + ".join(names), source=", ".join(names),
                    rules=tuple(merged.values()))


def _parse(text: str, label: str, source: str, seen: tuple[str, ...],
           base: Path | None = None) -> Playbook:
    from stakemap.files.parse import Pending, locate_problems, parse_text

    parsed = parse_text(text, label)
    if parsed.problems:
        raise PlaybookError(parsed.problems)
    pending: list[Pending] = []
    try:
        doc = _Document.model_validate(parsed.data)
    except ValidationError as exc:
        pending = [_pending(tuple(e["loc"]), e) for e in exc.errors()]
        raise PlaybookError(locate_problems(pending, text, label)) from None

    rules: dict[str, RuleBase] = {}
    parents_missing = False
    for index, parent in enumerate(doc.extends):
        target = parent if parent in BUILTIN_PLAYBOOKS or base is None else str(base / parent)
        problem = _extends_problem(parent, target, seen)
        if problem is not None:
            pending.append(Pending(("extends", index), *problem))
            parents_missing = True
            continue
        for rule in load_playbook(target, _seen=seen).rules:
            rules[rule.id] = rule
    written_at: dict[str, int] = {}
    for index, written in enumerate(doc.rules):
        at: tuple[str | int, ...] = ("rules", index)
        entry, rule_id = written, written.get("id")
        if isinstance(rule_id, str):
            if rule_id in written_at:
                pending.append(Pending(
                    (*at, "id"), f"rules.{index}.id: duplicate rule id '{rule_id}'",
                    "give each rule in this file its own id, or merge the two entries",
                    first=("rules", written_at[rule_id], "id")))
                continue
            written_at[rule_id] = index
        if "type" not in entry:
            if parents_missing and rule_id not in rules:
                continue  # it may patch a rule of the missing parent: reported once, above
            if rule_id not in rules:
                pending.append(Pending(
                    (*at, "id"), f"rules.{index}.id: rule '{rule_id}' has no 'type' and patches "
                    f"no inherited rule", "add 'type', or extend the playbook that defines it "
                    f"(known: {', '.join(rules) or 'none'})"))
                continue
            entry = {**rules[rule_id].model_dump(exclude_defaults=False), **entry}
        elif entry.get("type") not in RULE_TYPES:
            pending.append(Pending((*at, "type"),
                                   f"rules.{index}.type: unknown rule type '{entry.get('type')}'",
                                   f"use one of: {', '.join(RULE_TYPES)}",
                                   read_as_bool=isinstance(entry.get("type"), bool)))
            continue
        try:
            rule = _RULE.validate_python(entry)
        except ValidationError as exc:
            pending += [_pending((*at, *(x for x in e["loc"] if x != entry.get("type"))), e)
                        for e in exc.errors()]
            continue
        pending += _role_typos(rule, at)
        rules[rule.id] = rule
    if pending or parsed.duplicate_keys:
        raise PlaybookError(locate_problems(pending, text, label))
    return Playbook(name=doc.playbook, version=doc.version, description=doc.description,
                    source=source, rules=tuple(rules.values()))


def _extends_problem(parent: str, target: str, seen: tuple[str, ...]
                     ) -> tuple[str, str] | None:
    """What is wrong with one ``extends`` entry, said here so the message points at the
    entry in the extending file: a missing parent named only by its own path left the
    reader to guess which playbook asked for it."""
    if target in seen:
        return (f"extends: playbooks extend each other in a loop: "
                f"{' -> '.join((*seen, target))}", "remove one of the 'extends' entries")
    if parent in BUILTIN_PLAYBOOKS:
        return None
    path = Path(target)
    if not path.exists() or path.is_dir():  # a FIFO or a device: read_input_text says why
        return (f"extends: no such playbook file or built-in playbook '{parent}' "
                f"(looked for {target})",
                f"use a path relative to this playbook or one of: "
                f"{', '.join(BUILTIN_PLAYBOOKS)}")
    return None


def _role_typos(rule: RuleBase, at: tuple[str | int, ...]) -> list[Any]:
    """Role ids of a ``required-role`` rule that are near misses of built-in roles.

    Such a rule would never be satisfied (nobody holds ``acount-manager``) and report every
    account. Ids far from every built-in role may be a portfolio's own roles, so they pass.
    """
    from stakemap.files.parse import Pending

    if not isinstance(rule, RequiredRole):
        return []
    written: list[tuple[tuple[str | int, ...], str]] = []
    if rule.role is not None:
        written.append(((*at, "role"), rule.role))
    written += [((*at, "any_of", k), role) for k, role in enumerate(rule.any_of)]
    found = []
    for path, role in written:
        if role in _BUILTIN_ROLE_IDS:
            continue
        hint = did_you_mean(role, _BUILTIN_ROLE_IDS)
        if hint is not None:
            found.append(Pending(path, f"{'.'.join(map(str, path))}: unknown role '{role}'",
                                 hint))
    return found


def _pending(path: tuple[str | int, ...], error: Any) -> Any:
    from stakemap.files.parse import Pending

    return Pending(path, f"{'.'.join(map(str, path))}: {error['msg']}", _hint(error),
                   at_key=error["type"] == "extra_forbidden",
                   read_as_bool=isinstance(error.get("input"), bool)
                   and not error["type"].startswith("bool"))


def _hint(error: Any) -> str | None:
    if error["type"] == "extra_forbidden":
        return "remove it, or check its spelling"
    bounds = error.get("ctx") or {}
    if error["type"] == "less_than_equal" and "le" in bounds:
        return f"use at most {bounds['le']}"
    if error["type"] == "greater_than_equal" and "ge" in bounds:
        return f"use at least {bounds['ge']}"
    return None  # pydantic's own message already names the allowed values
