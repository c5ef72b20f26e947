"""A mapping file: what a preset does not know about one team's CRM export.

    system: salesforce              # the key of the CRM's ids in external_ids
    columns:                        # field: the column (or columns) holding it
      title: Job Role
      email: [E-Mail, Email Address]
    ignore: [Region, Lead Score]    # columns known and not wanted
    roles:                          # the CRM's role name: a stakemap role id, or null
      Decision Maker: authorized-representative
      Evaluator: null
    stances:                        # a role name that says a stance: the stance
      Champion: champion

Everything is optional. ``columns`` come before the preset's own names for a field;
role names are compared without case. Problems are reported all at once, located
``file:line:column``, before any CSV is read.
"""

from __future__ import annotations

import os
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from stakemap.crm.presets import FIELDS
from stakemap.errors import InputError
from stakemap.files.parse import (
    Pending,
    locate_problems,
    max_playbook_bytes_from_env,
    parse_text,
    read_input_text,
)
from stakemap.model.enums import Stance
from stakemap.model.integrity import did_you_mean
from stakemap.model.nodes import System

__all__ = ["CrmImportError", "CrmMapping", "load_mapping"]


class CrmImportError(InputError):
    """A CRM export or a mapping file cannot be imported; ``problems`` says where and why."""


class CrmMapping(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    system: System | None = Field(None, description="the key of the CRM's ids in external_ids")
    columns: dict[str, tuple[str, ...]] = Field(
        default_factory=dict, description="field: the column (or a list of columns) holding it")
    ignore: tuple[str, ...] = Field((), description="columns known and not wanted")
    roles: dict[str, str | None] = Field(
        default_factory=dict, description="the CRM's role name: a stakemap role id, or null")
    stances: dict[str, Stance] = Field(
        default_factory=dict, description="a CRM role name that says a stance: the stance")

    @field_validator("columns", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return {k: (v,) if isinstance(v, str) else v for k, v in value.items()}
        return value

    @field_validator("columns")
    @classmethod
    def _known_fields(cls, value: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
        for name in value:
            if name not in FIELDS:
                hint = did_you_mean(name, FIELDS)
                raise ValueError(f"unknown field '{name}'" + (f" ({hint})" if hint else "")
                                 + f"; fields: {', '.join(FIELDS)}")
        return value


def load_mapping(path: str | os.PathLike[str]) -> CrmMapping:
    """Read and check a mapping file; ``CrmImportError`` lists every problem, located."""
    name = os.fspath(path)
    text = read_input_text(name, CrmImportError, limit=max_playbook_bytes_from_env(),
                           what="mapping file", limit_env="STAKEMAP_MAX_PLAYBOOK_KB")
    parsed = parse_text(text, name)
    if parsed.problems:
        raise CrmImportError(parsed.problems)
    data = parsed.data if parsed.data is not None else {}
    if not isinstance(data, dict):
        raise CrmImportError(locate_problems([Pending(
            (), "a mapping file is a mapping of sections (system, columns, ignore, roles, "
                "stances)", "see `stakemap import-csv --help`")], text, name))
    try:
        return CrmMapping.model_validate(data)
    except ValidationError as exc:
        pending = [Pending(tuple(e["loc"]), e["msg"].removeprefix("Value error, "),
                           at_key=e["type"] == "extra_forbidden")
                   for e in exc.errors()]
        raise CrmImportError(locate_problems(pending, text, name)) from None
