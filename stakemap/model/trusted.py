"""Models from values that were validated already, built without validating them again.

Loading a portfolio validates each file entry once (the file schema), then turns entries
into nodes and edges. Validating those again, or even ``model_construct`` (which
deep-copies every default), cost more than the rest of loading at 500,000 edges. This is
what ``model_construct`` does, with each class's defaults worked out once.
Only for immutable defaults (enums, numbers, strings, None), which all model fields have.
"""

from __future__ import annotations

from functools import cache
from typing import Any, TypeVar

from pydantic import BaseModel

__all__ = ["construct"]

M = TypeVar("M", bound=BaseModel)
_set = object.__setattr__


@cache
def _defaults(cls: type[BaseModel]) -> dict[str, Any]:
    """Plain defaults only; a field with a default factory must be given a value."""
    return {name: f.default for name, f in cls.model_fields.items()
            if not f.is_required() and f.default_factory is None}


@cache
def _fields_set(cls: type[BaseModel], names: tuple[str, ...]) -> set[str]:
    """One set per class and shape, shared by its instances: a set each cost 100 MB at
    500,000 edges. Safe because the models are frozen: pydantic copies the set before it
    ever changes one (``model_copy``), and nothing else writes to it."""
    return set(names)


def construct(cls: type[M], values: dict[str, Any]) -> M:
    """An instance of ``cls`` holding ``values`` (plus defaults), exactly as
    ``cls.model_construct(**values)`` would build it."""
    model = cls.__new__(cls)
    _set(model, "__dict__", {**_defaults(cls), **values})
    _set(model, "__pydantic_fields_set__", _fields_set(cls, tuple(values)))
    _set(model, "__pydantic_extra__", None)
    _set(model, "__pydantic_private__", None)
    return model
