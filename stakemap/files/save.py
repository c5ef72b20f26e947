"""Write a portfolio to YAML or JSON, atomically: a failed save leaves the old file intact."""

from __future__ import annotations

import json
import os
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from stakemap.files.convert import compact, portfolio_to_document
from stakemap.files.parse import is_json
from stakemap.model.portfolio import Portfolio

__all__ = ["dump_portfolio", "write_portfolio"]

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


def _new_file_mode() -> int:
    """0666 less the umask: the mode ``open()`` would have given a new file."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_portfolio(portfolio: Portfolio, path: str | os.PathLike[str]) -> Path:
    """Save as JSON for ``.json`` paths, YAML otherwise; replace the file in one step."""
    target = Path(path)
    text = dump_portfolio(portfolio, json_format=is_json(target.name, ""))
    directory = target.parent if str(target.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        # mkstemp makes 0600; keep the mode of the file replaced, or give a new file's
        os.chmod(tmp, target.stat().st_mode & 0o7777 if target.exists() else _new_file_mode())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target
