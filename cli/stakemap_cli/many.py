"""What commands that check several files share: the files a list of paths names, and the
GitHub workflow annotations they can print.

A folder stands for every ``.yaml``, ``.yml`` and ``.json`` file under it, recursively, in a
stable (sorted) order, except in hidden folders (``.git``, ``.github``: a workflow is YAML
but never a portfolio). Nothing else is guessed: a YAML file that is not a portfolio is
reported as invalid rather than skipped, so a typo in a portfolio can never make it vanish
from the check. A folder with no such file is a problem of its own.

Annotations (``::error file=...,line=...::message``) are read by GitHub Actions from a
step's output and shown on the pull request's lines. User text goes into them escaped as
GitHub's runner unescapes it, so a name or message can neither end the annotation early nor
start another workflow command.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from stakemap.choices import PORTFOLIO_EXTENSIONS

__all__ = ["Target", "annotation", "escape_data", "escape_property", "targets",
           "worst_exit"]


@dataclass(frozen=True)
class Target:
    """One file to check, or (``problem`` set) an argument that names no file to check."""

    name: str
    problem: str | None = None
    hint: str | None = None


def targets(paths: tuple[str, ...] | list[str]) -> list[Target]:
    """The files ``paths`` name, in order: a file (or ``-``) as given, a folder as its
    portfolio files (see the module's docstring)."""
    found: list[Target] = []
    for path in paths:
        if path != "-" and os.path.isdir(path):
            files = _portfolio_files(Path(path))
            if not files:
                found.append(Target(path, "folder holds no .yaml, .yml or .json file",
                                    "name portfolio files, or a folder that holds some"))
            found += [Target(str(f)) for f in files]
        else:
            found.append(Target(path))
    return found


def _portfolio_files(folder: Path) -> list[Path]:
    files = []
    for root, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        files += [Path(root) / n for n in names
                  if n.lower().endswith(PORTFOLIO_EXTENSIONS) and not n.startswith(".")]
    return sorted(files)


def worst_exit(*codes: int) -> int:
    """Several files' exit codes as one: the worst wins (2 bad input > 1 findings > 0)."""
    return max(codes, default=0)


def escape_data(text: str) -> str:
    """A workflow command's message, escaped as the runner unescapes it: ``%``, CR and LF
    (a raw newline would end the command and let the next line be read as a new one)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A workflow command's property value (``file=``, ``title=``): as ``escape_data``, and
    ``:`` and ``,``, which would end the value."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


LEVELS = {"critical": "error", "high": "error", "medium": "warning", "low": "notice",
          "info": "notice"}
"""Annotation level by finding severity: what fails a check is an error, what should be
looked at a warning, the rest a notice."""


def annotation(level: str, message: str, *, file: str | None = None, line: int | None = None,
               col: int | None = None, title: str | None = None) -> str:
    """One workflow command line: ``::error file=F,line=L,col=C,title=T::message``.

    Standard input has no file on GitHub's side, so ``<stdin>`` is left out."""
    props = []
    if file is not None and file != "<stdin>":
        props.append(f"file={escape_property(_relative(file))}")
        if line is not None:
            props.append(f"line={line}")
            if col is not None:
                props.append(f"col={col}")
    if title:
        props.append(f"title={escape_property(title)}")
    head = f"::{level}" + (" " + ",".join(props) if props else "")
    return f"{head}::{escape_data(message)}"


def _relative(file: str) -> str:
    """GitHub matches an annotation's file against the repository's paths: a path under the
    current folder (the checkout, in a workflow) is given relative to it."""
    try:
        path = Path(os.path.abspath(file))
        return path.relative_to(os.getcwd()).as_posix()
    except (ValueError, OSError):
        return file
