"""Pydantic's validation errors worded for a Python caller: one line per argument that names
it, the value given and what is allowed.

The file loader words the same errors for a file (locations, YAML spellings such as "null");
a caller of ``StakeholderGraph.add_person`` needs the argument name and Python spellings
instead, so the wording lives here, beside the models whose constraints it reads.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, get_args

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

__all__ = ["bounds", "explain", "explain_all"]


def bounds(model: type[BaseModel] | None, field: str) -> tuple[Any, Any] | None:
    """The (lowest, highest) value ``model.field`` accepts, if it has both bounds.

    Read from the field's constraints, so a message can never disagree with the model; a
    bound may sit on the field itself or inside an ``Annotated`` alias such as ``Scale``."""
    info = model.model_fields.get(field) if model is not None else None
    if info is None:
        return None
    found: dict[str, Any] = {}
    metas = list(info.metadata)
    for arg in get_args(info.annotation):
        for meta in getattr(arg, "__metadata__", ()):
            metas += [meta, *getattr(meta, "metadata", ())]
    for meta in metas:
        for attr in ("ge", "le"):
            if getattr(meta, attr, None) is not None:
                found[attr] = getattr(meta, attr)
    if "ge" in found and "le" in found:
        return found["ge"], found["le"]
    return None


def _range(model: type[BaseModel] | None, field: str) -> str:
    limits = bounds(model, field)
    if limits is None:
        return ""
    low, high = limits
    what = "a whole number" if isinstance(low, int) and isinstance(high, int) else "a number"
    return f"; use {what} from {low} to {high}"


def _choices(expected: str) -> str:
    """pydantic's "'a', 'b' or 'c'" as "a, b, c"."""
    return expected.replace(" or ", ", ").replace("'", "")


def explain(err: ErrorDetails, model: type[BaseModel] | None,
            names: Mapping[str, str] | None = None) -> str:
    """One error as "<argument> ...; <what to pass>"; ``names`` maps model fields to the
    argument names the caller used (a role's ``source`` is ``person``)."""
    field = str(err["loc"][0]) if err["loc"] else ""
    name = (names or {}).get(field, field) or "value"
    kind, value = err["type"], err.get("input")
    ctx: Mapping[str, Any] = err.get("ctx") or {}
    if kind in ("enum", "literal_error"):
        return f"{name} {value!r} is not one of: {_choices(str(ctx.get('expected', '')))}"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return f"{name} is {value!r}" + (_range(model, field) or f"; {err['msg'].lower()}")
    if kind.startswith(("date_", "datetime_")):
        return (f"{name} {value!r} is not a date; pass a datetime.date or text as YYYY-MM-DD, "
                f"e.g. '2026-03-31'")
    if kind == "string_too_short":
        return f"{name} must not be empty"
    if kind == "string_too_long":
        return f"{name} is too long; {err['msg'].lower()}"
    if kind in ("string_type", "str_type"):
        return f"{name} should be text (str), not {type(value).__name__} {value!r}"
    if kind in ("int_parsing", "float_parsing", "int_from_float", "int_type", "float_type"):
        return (f"{name} should be a number, not {type(value).__name__} {value!r}"
                + _range(model, field))
    if kind in ("bool_parsing", "bool_type"):
        return f"{name} should be True or False, not {value!r}"
    if kind == "missing":
        return f"{name} is required"
    if kind == "value_error" and "error" in ctx:
        return f"{name}: {ctx['error']}" if field else str(ctx["error"])
    return f"{name}: {err['msg']}"


def explain_all(error: ValidationError, model: type[BaseModel] | None,
                names: Mapping[str, str] | None = None) -> str:
    """Every error of ``error`` on one line, joined by "; "."""
    return "; ".join(explain(e, model, names) for e in error.errors())
