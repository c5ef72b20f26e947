"""Defaults in one place: which playbooks a portfolio is judged by, and as of which day, so
``gaps``, ``render`` and ``report`` agree without repeating ``--playbook`` and ``--as-of``.

They come from, first to last (the first that says wins):

1. the command line (``--playbook``, ``--as-of``);
2. the environment: ``STAKEMAP_PLAYBOOK`` (names or files, comma-separated) and
   ``STAKEMAP_AS_OF``;
3. ``stakemap.toml`` beside the portfolio file (for ``--store``, in the current folder)::

       [defaults]
       playbooks = ["msp-account-team", "playbooks/our-team.yaml"]  # files: from this folder
       as_of = "quarter-end"   # today | YYYY-MM-DD | month-end | quarter-end

4. stakemap's own: the ``default`` playbook, today.

``month-end`` and ``quarter-end`` are the last day of the previous month or quarter: a review
prepared in the first weeks of a quarter judges the quarter that ended.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from stakemap.errors import InputError, Problem, UsageError

__all__ = ["AS_OF_POLICIES", "CONFIG_FILE", "ConfigError", "Defaults", "as_of_day", "find_defaults"]

CONFIG_FILE = "stakemap.toml"
AS_OF_POLICIES = ("today", "month-end", "quarter-end")
"""The as-of policies besides a fixed day (YYYY-MM-DD)."""

_KEYS = {"playbooks", "as_of"}


class ConfigError(InputError):
    """``stakemap.toml`` or a ``STAKEMAP_*`` variable is invalid; every problem located."""


@dataclass(frozen=True)
class Defaults:
    """The playbooks and as-of policy a command uses when it is not told, and where they came
    from (``stakemap.toml``, an environment variable), for messages."""

    playbooks: tuple[str, ...] = ()
    as_of: str | None = None
    playbooks_from: str | None = None
    as_of_from: str | None = None

    def as_of_day(self, today: date | None = None) -> date | None:
        """The as-of day the policy gives (None: stakemap's own default, today)."""
        return as_of_day(self.as_of, today or date.today(), self.as_of_from or "as_of")


def as_of_day(policy: str | None, today: date, where: str = "as_of") -> date | None:
    """The day an as-of policy names on ``today``: ``today``, ``month-end`` and
    ``quarter-end`` (of the previous month or quarter), or a YYYY-MM-DD day."""
    if policy is None or policy == "today":
        return None if policy is None else today
    if policy == "month-end":
        return today.replace(day=1) - timedelta(days=1)
    if policy == "quarter-end":
        first_month = 3 * ((today.month - 1) // 3) + 1
        return today.replace(month=first_month, day=1) - timedelta(days=1)
    try:
        return date.fromisoformat(policy)
    except ValueError:
        raise UsageError(f"{where}: as-of {policy!r} is not a day; use YYYY-MM-DD or one of: "
                         f"{', '.join(AS_OF_POLICIES)}") from None


def find_defaults(portfolio: str | os.PathLike[str] | None = None, *,
                  environ: Mapping[str, str] | None = None,
                  folder: str | os.PathLike[str] | None = None) -> Defaults:
    """The defaults for a command on ``portfolio`` (None: a store): the environment's, then
    ``stakemap.toml`` beside the portfolio (or in ``folder``, default the current one).
    Raises ``ConfigError`` with every problem located in the file."""
    env = os.environ if environ is None else environ
    where = Path(portfolio).parent if portfolio is not None else Path(folder or ".")
    from_file = _read_config(where / CONFIG_FILE)
    playbooks, playbooks_from = from_file.playbooks, from_file.playbooks_from
    as_of, as_of_from = from_file.as_of, from_file.as_of_from
    if env.get("STAKEMAP_PLAYBOOK", "").strip():
        playbooks = tuple(p.strip() for p in env["STAKEMAP_PLAYBOOK"].split(",") if p.strip())
        playbooks_from = "STAKEMAP_PLAYBOOK"
    if env.get("STAKEMAP_AS_OF", "").strip():
        as_of, as_of_from = env["STAKEMAP_AS_OF"].strip(), "STAKEMAP_AS_OF"
        as_of_day(as_of, date.today(), as_of_from)  # refuse a bad value now, named
    return Defaults(playbooks, as_of, playbooks_from, as_of_from)


def _read_config(path: Path) -> Defaults:
    if not path.is_file():
        return Defaults()
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except UnicodeDecodeError as exc:
        raise ConfigError([Problem(name, None, None, f"not UTF-8 text ({exc.reason})",
                                   "save the file as UTF-8")]) from exc
    except tomllib.TOMLDecodeError as exc:
        line, column = _position(str(exc))
        raise ConfigError([Problem(name, line, column, f"not valid TOML: {_reason(exc)}",
                                   "see https://toml.io for the syntax")]) from exc
    except OSError as exc:
        raise ConfigError([Problem(name, None, None, f"cannot be read: {exc.strerror}",
                                   None)]) from exc
    problems: list[Problem] = []
    section = data.get("defaults", {})
    for key in sorted(set(data) - {"defaults"}):
        problems.append(Problem(name, _line_of(text, f"[{key}]", key), None,
                                f"unknown section or key '{key}'",
                                "stakemap reads the [defaults] section"))
    if not isinstance(section, dict):
        section = {}
    for key in sorted(set(section) - _KEYS):
        from stakemap.model.integrity import did_you_mean

        problems.append(Problem(name, _line_of(text, key), None,
                                f"defaults: unknown key '{key}'",
                                did_you_mean(key, _KEYS) or f"use {' or '.join(sorted(_KEYS))}"))
    playbooks = section.get("playbooks", [])
    if isinstance(playbooks, str):
        playbooks = [playbooks]
    if not isinstance(playbooks, list) or not all(isinstance(p, str) for p in playbooks):
        problems.append(Problem(name, _line_of(text, "playbooks"), None,
                                "defaults: playbooks should be a list of names or files",
                                'e.g. playbooks = ["msp-account-team"]'))
        playbooks = []
    as_of = section.get("as_of")
    if as_of is not None:
        if isinstance(as_of, date):
            as_of = as_of.isoformat()  # TOML's own date literal
        if not isinstance(as_of, str):
            problems.append(Problem(name, _line_of(text, "as_of"), None,
                                    "defaults: as_of should be text",
                                    f"YYYY-MM-DD or one of: {', '.join(AS_OF_POLICIES)}"))
            as_of = None
        else:
            try:
                as_of_day(as_of, date.today())
            except UsageError:
                problems.append(Problem(name, _line_of(text, "as_of"), None,
                                        f"defaults: as_of {as_of!r} is not a day",
                                        f"use YYYY-MM-DD or one of: {', '.join(AS_OF_POLICIES)}"))
                as_of = None
    if problems:
        raise ConfigError(problems)
    from stakemap.analysis.playbook import BUILTIN_PLAYBOOKS

    resolved = tuple(p if p in BUILTIN_PLAYBOOKS or Path(p).is_absolute()
                     else str(path.parent / p) for p in playbooks)
    return Defaults(resolved, as_of, name if resolved else None, name if as_of else None)


def _position(message: str) -> tuple[int | None, int | None]:
    found = re.search(r"line (\d+), column (\d+)", message)
    return (int(found.group(1)), int(found.group(2))) if found else (None, None)


def _reason(exc: tomllib.TOMLDecodeError) -> str:
    return re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))


def _line_of(text: str, *needles: str) -> int | None:
    for number, line in enumerate(text.splitlines(), start=1):
        if any(line.strip().startswith(n) for n in needles):
            return number
    return None
