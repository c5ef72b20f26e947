"""The one error tree every stakemap failure belongs to.

Callers catch ``StakemapError`` to handle anything stakemap raises on purpose; each subclass
also inherits the builtin it most resembles, so code written against plain Python
(``except LookupError``) keeps working::

    StakemapError
    ├── InputError (ValueError)             an input file is invalid; carries every Problem
    │   ├── PortfolioError                  ... a portfolio file
    │   └── PlaybookError                   ... a playbook file
    ├── UsageError (ValueError)             asked for an unknown finding code, account or format
    │   └── ArgumentError (TypeError)       an argument of the wrong type (None for a path, ...)
    ├── OutputError (OSError)               a file cannot be written; nothing partial is left
    ├── GraphError (ValueError)             an operation would make the graph inconsistent
    │   └── NotFoundError (LookupError)     an id that is not in the graph
    ├── StoreError                          a storage backend failed
    │   ├── StoreURLError (ValueError)      a store URL stakemap cannot open
    │   ├── StoreDataError (PortfolioError) the store holds data stakemap cannot read back
    │   └── StoreConnectionError (ConnectionError)  the store cannot be reached or refused us
    └── MissingDependencyError (ImportError) an optional package or binary is not installed
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

__all__ = [
    "ArgumentError",
    "GraphError",
    "InputError",
    "MissingDependencyError",
    "NotFoundError",
    "OutputError",
    "PlaybookError",
    "PortfolioError",
    "Problem",
    "StakemapError",
    "StoreConnectionError",
    "StoreDataError",
    "StoreError",
    "StoreURLError",
    "UsageError",
]


class StakemapError(Exception):
    """Root of every error stakemap raises deliberately."""


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with an input file, located so an editor can jump to it.

    ``line`` and ``column`` are 1-based; either is ``None`` when the place is unknown
    (for example a file that cannot be read at all).
    """

    file: str
    line: int | None
    column: int | None
    message: str
    hint: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        text = f"{where}: {self.message}"
        if self.hint:
            text += f"; {self.hint}"
        return text


class InputError(StakemapError, ValueError):
    """An input file is invalid. ``problems`` lists everything found, not just the first,
    each located as file:line:column, so one run shows the user every fix to make."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: list[Problem] = sorted(problems, key=_problem_order)
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} found"
        super().__init__("\n".join([head, *(str(p) for p in self.problems)]))


class PortfolioError(InputError):
    """A portfolio file (or a graph checked like one) is invalid."""


class PlaybookError(InputError):
    """A playbook file is invalid, or names a playbook that does not exist."""


def _problem_order(problem: Problem) -> tuple[str, int, int, str]:
    return (problem.file, problem.line or 0, problem.column or 0, problem.message)


class UsageError(StakemapError, ValueError):
    """The caller asked for something stakemap does not know: a finding code, an account, a
    format. Not a problem in the data, so it carries a message, not located problems."""


class ArgumentError(UsageError, TypeError):
    """A function was given an argument of the wrong type: ``None`` or a number for a path, a
    date as text, a bare string where a list is wanted. Also a ``TypeError``, which plain
    Python would have raised (later, and without naming the argument)."""


class OutputError(StakemapError, OSError):
    """A file cannot be written: missing or read-only folder, disk full, the target is a
    folder or an input of the same command. The message names the path the caller gave (never
    a temporary file) and the fix; ``errno`` and ``filename`` are set as on the ``OSError``
    it replaces (chained as ``__cause__``), and the error is also that ``OSError``'s class
    (``PermissionError``, ``FileNotFoundError``, ...), so ``except PermissionError`` code
    written before stakemap translated these keeps working.
    """

    def __init__(self, message: str, *, filename: str | None = None,
                 errno: int | None = None) -> None:
        super().__init__(message)
        self.filename = filename
        self.errno = errno

    def __str__(self) -> str:
        # OSError would print "[Errno n] ..." once errno is set; the message says it all.
        return str(self.args[0])


class GraphError(StakemapError, ValueError):
    """An operation would leave the graph inconsistent (unknown role, wrong endpoint kind, ...)."""


class NotFoundError(GraphError, LookupError):
    """An id was referenced that the graph does not hold."""


class StoreError(StakemapError):
    """A storage backend failed; the message names the (password-redacted) store URL."""


class StoreURLError(StoreError, ValueError):
    """A store URL has a scheme or shape stakemap cannot open."""


class StoreConnectionError(StoreError, ConnectionError):
    """The store cannot be reached, refused the credentials, or lacks the database."""


class MissingDependencyError(StakemapError, ImportError):
    """An optional Python package or external binary is needed; the message says what to install."""


class StoreDataError(StoreError, PortfolioError):
    """The store holds data stakemap cannot read back as its model: a property out of its
    range or of the wrong type, an unknown kind, a link between nodes of kinds it may not
    join (someone's own Cypher, or an earlier version). ``problems`` lists every one, each
    naming the store, the node id or edge and the property, with the fix; the CLI prints
    them one per line like a file's problems, never a traceback."""
