"""Argument checks the analyses share: each refusal an ``ArgumentError`` that names the
function and the argument, never a bare ``TypeError`` from deep inside."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from stakemap.analysis.playbook import Playbook, resolve_playbooks
from stakemap.errors import ArgumentError

__all__ = ["day_argument", "playbook_argument", "strings_argument"]


def day_argument(value: object, verb: str = "find_gaps") -> date | None:
    """``as_of`` checked: a date or None; a ``datetime`` is refused rather than truncated,
    since which day it is depends on its time zone, which only the caller knows."""
    if value is None or (isinstance(value, date) and not isinstance(value, datetime)):
        return value
    if isinstance(value, datetime):
        raise ArgumentError(f"{verb}: as_of is a datetime ({value.isoformat()}); pass the "
                            f"day, e.g. as_of=value.date()")
    hint = (f"; e.g. as_of=datetime.date.fromisoformat({value!r})"
            if isinstance(value, str) else "")
    raise ArgumentError(f"{verb}: as_of should be a datetime.date, not "
                        f"{type(value).__name__} {value!r}{hint}")


def strings_argument(name: str, values: object, what: str = "a list of strings",
             verb: str = "find_gaps") -> list[str]:
    """An iterable of strings, checked: a bare string would iterate as its characters
    (customers="nw" asks for accounts "n" and "w"), and a number is not iterable at all."""
    if isinstance(values, str | bytes):
        raise ArgumentError(f"{verb}: {name} is the text {values!r}, not a list; "
                            f"pass a list, e.g. {name}=[{values!r}]")
    if not isinstance(values, Iterable):
        raise ArgumentError(f"{verb}: {name} should be {what}, not "
                            f"{type(values).__name__} {values!r}")
    items = list(values)
    wrong = [v for v in items if not isinstance(v, str)]
    if wrong:
        raise ArgumentError(f"{verb}: {name} should hold strings only, not "
                            f"{type(wrong[0]).__name__} {wrong[0]!r}")
    return items


def playbook_argument(playbook: object) -> Playbook:
    """``playbook`` resolved: None (the default), a Playbook, a name or path, or several."""
    if playbook is None or isinstance(playbook, str):
        return resolve_playbooks([playbook] if playbook else [])
    if isinstance(playbook, Playbook):
        return playbook
    return resolve_playbooks(strings_argument("playbook", playbook,
                                      "a Playbook, a name or path, or a list of them"))
