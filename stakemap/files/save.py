"""Write a portfolio to YAML or JSON, atomically: a failed save leaves the old file intact.

The writing itself (temporary file, fsync, replace, modes, symlinks, error messages) is
``stakemap.atomic_write``'s, shared with diagrams and review packs.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from stakemap.atomic_write import check_not_input, write_atomic
from stakemap.choices import PORTFOLIO_EXTENSIONS
from stakemap.errors import UsageError
from stakemap.files.convert import compact, portfolio_to_document
from stakemap.files.parse import is_json
from stakemap.model.portfolio import Portfolio

__all__ = ["PORTFOLIO_EXTENSIONS", "check_portfolio_path", "dump_portfolio", "write_portfolio"]


_Dumper: type[yaml.SafeDumper] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def dump_portfolio(portfolio: Portfolio, *, json_format: bool = False) -> str:
    """The text of a portfolio file, in the short forms a person would write."""
    data = compact(portfolio_to_document(portfolio))
    if json_format:
        return json.dumps(data, indent=2, ensure_ascii=False, default=_iso) + "\n"
    return _yaml_text(data)


def _iso(value: Any) -> str:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} to JSON")


def _yaml_text(data: dict[str, Any]) -> str:
    parts = []
    for section, value in data.items():
        parts.append(yaml.dump({section: value}, Dumper=_Dumper, sort_keys=False,
                               allow_unicode=True, default_flow_style=False, width=100))
    return "\n".join(parts)


def check_portfolio_path(path: str | os.PathLike[str]) -> None:
    """Refuse a portfolio file name the loader would not read back as one (``x.txt``, ``x``):
    a save that cannot be loaded again is data lost later, so it is refused now."""
    name = os.fspath(path)
    if not name.lower().endswith(PORTFOLIO_EXTENSIONS):
        raise UsageError(f"{name}: a portfolio file is .yaml, .yml or .json; "
                         "name the file with one of those")


def write_portfolio(portfolio: Portfolio, path: str | os.PathLike[str], *,
                    inputs: Iterable[str | os.PathLike[str]] = ()) -> Path:
    """Save as JSON for ``.json`` paths, YAML otherwise; replace the file in one step.

    ``inputs`` are the files the caller read, refused as the target (``OutputError``) so a
    command cannot overwrite its own input.
    """
    target = Path(path)
    inputs = tuple(inputs)
    check_portfolio_path(path)
    check_not_input(path, inputs)  # before the (possibly long) dump, not after
    text = dump_portfolio(portfolio, json_format=is_json(target.name, ""))
    return write_atomic(path, text, inputs=inputs)
