"""Diagrams: DOT text plus the one place that runs Graphviz's ``dot`` binary.

``render(graph, customer=...)`` returns a ``Diagram``: its ``source`` is DOT text (needs no
binary), ``pipe(format)`` and ``save(path)`` run ``dot``, and Jupyter shows it inline via
``_repr_svg_``. A missing ``dot`` raises ``MissingDependencyError`` that says how to
install it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from stakemap.atomic_write import check_not_input, write_atomic
from stakemap.choices import ENGINES, GRAPHVIZ_FORMATS
from stakemap.errors import MissingDependencyError, StakemapError, UsageError

if TYPE_CHECKING:
    from stakemap.analysis.playbook import Playbook
    from stakemap.backends import GraphStore
    from stakemap.graph import StakeholderGraph
    from stakemap.render.dot import CrossTie

__all__ = ["FORMATS", "Diagram", "render"]

FORMATS = GRAPHVIZ_FORMATS
"""The formats a diagram can be saved in (one list, ``stakemap.choices``); an account's
``html`` page is the explorer, ``stakemap.render.explorer``."""


def missing_dot(works_without: str = "DOT output (--format dot)") -> MissingDependencyError:
    """The error for a missing ``dot``: how to install it, and what works without it."""
    return MissingDependencyError(
        "Graphviz's `dot` program is not installed (or not on PATH); install it: "
        "apt-get install graphviz (Debian/Ubuntu), brew install graphviz (macOS), "
        "dnf install graphviz (Fedora), winget install graphviz (Windows). "
        f"{works_without} works without it.")


@dataclass(frozen=True)
class Diagram:
    """DOT text and the Graphviz engine that lays it out; ``pipe``/``save`` run ``dot``."""

    source: str
    engine: str = "dot"

    def __post_init__(self) -> None:
        # refused here, not when ``dot`` runs: the caller learns at the call that named it
        if self.engine not in ENGINES:
            raise UsageError(f"unknown Graphviz engine {self.engine!r}; use one of: "
                             f"{', '.join(ENGINES)}")

    def pipe(self, format: str = "svg") -> bytes:
        """The diagram in ``format`` (svg, png, pdf or dot)."""
        if format not in FORMATS:
            raise UsageError(f"unknown diagram format '{format}'; use one of: "
                             f"{', '.join(FORMATS)}")
        if format == "dot":
            return self.source.encode("utf-8")
        import graphviz  # type: ignore[import-untyped]

        try:
            data: bytes = graphviz.Source(self.source, engine=self.engine).pipe(
                format=format)
        except graphviz.ExecutableNotFound as exc:
            raise missing_dot() from exc
        except graphviz.CalledProcessError as exc:
            detail = (exc.stderr or b"").decode("utf-8", "replace").strip().splitlines()
            raise StakemapError(f"Graphviz failed: {detail[-1] if detail else exc}") from exc
        return data

    def save(self, path: str | os.PathLike[str], format: str | None = None, *,
             inputs: Iterable[str | os.PathLike[str]] = ()) -> Path:
        """Write the diagram; the format follows the file's extension unless given.

        The file appears whole or not at all (``stakemap.atomic_write``); a target that is
        one of ``inputs`` (the files the caller read) is refused before ``dot`` runs.
        """
        target = Path(path)
        inputs = tuple(inputs)
        check_not_input(path, inputs)
        fmt = format or target.suffix.lstrip(".").lower()
        if not fmt:
            raise UsageError(f"{target}: no extension to choose the format by; use one of: "
                             f"{', '.join(FORMATS)} (as the extension, or format=)")
        return write_atomic(path, self.pipe(fmt), inputs=inputs)

    def _repr_svg_(self) -> str:
        return self.pipe("svg").decode("utf-8")


ENGINE_BY_SIZE = ((60, "dot"), (400, "sfdp"))
"""Up to 60 accounts the layered ``dot`` layout reads best; beyond, the force-directed
``sfdp`` stays readable and fast; ``engine=`` overrides."""


def render(
    source: StakeholderGraph | GraphStore,
    *,
    customer: str | None = None,
    playbook: Playbook | str | Iterable[str] | None = None,
    as_of: date | None = None,
    engine: str | None = None,
    view: str | None = None,
    everyone: bool = False,
) -> Diagram:
    """A picture of ``customer`` (``view``, one of ``ACCOUNT_VIEWS``, default the first:
    ``map``, the account diagram with the playbook's findings drawn in; ``coverage``, the
    matrix of our team against their key people, each cell the tie's warmth) or, without
    ``customer``, of the portfolio (one of ``PORTFOLIO_VIEWS``: ``heatmap``, the default,
    accounts worst first by coverage dimension with their top action; ``overview``, for
    small portfolios: accounts, who serves them, coverage scores). ``everyone``: the account
    map shows all of its people, not only those who matter with the rest folded."""
    from stakemap.analysis.account import AccountView
    from stakemap.analysis.gaps import find_gaps
    from stakemap.choices import ACCOUNT_VIEWS, PORTFOLIO_VIEWS
    from stakemap.graph import StakeholderGraph
    from stakemap.render.dot import account_dot

    store = source.store if isinstance(source, StakeholderGraph) else source
    views = ACCOUNT_VIEWS if customer is not None else PORTFOLIO_VIEWS
    chosen = views[0] if view is None else view
    if chosen not in views:
        raise UsageError(f"no view {chosen!r} of {'an account' if customer else 'the portfolio'}"
                         f"; use one of: {', '.join(views)}"
                         + ("" if customer else " (or give a customer for an account's views)"))
    if customer is None and chosen == "heatmap":
        from stakemap.render.heatmap import heatmap_dot

        report = find_gaps(store, playbook=playbook, as_of=as_of)
        return Diagram(heatmap_dot(report), engine=engine or "dot")
    if customer is None:
        return _overview(store, playbook, as_of, engine)
    # the findings and the account view, as the review pack reads them; not the whole
    # review, whose network and key-person analyses the diagram does not draw
    report = find_gaps(store, playbook=playbook, as_of=as_of, customers=[customer])
    if chosen == "coverage":
        from stakemap.analysis.coverage import coverage_matrix
        from stakemap.render.coverage import coverage_dot

        matrix = coverage_matrix(store, customer, findings=report.findings, as_of=report.as_of)
        return Diagram(coverage_dot(matrix), engine=engine or "dot")
    account = AccountView.from_store(store, customer)
    return Diagram(account_dot(account, report.findings, everyone=everyone,
                               ties=cross_ties(store, customer, report.as_of)),
                   engine=engine or "dot")


def cross_ties(store: GraphStore, customer: str, day: date) -> list[CrossTie]:
    """The ties between the account's people and ours, from its people network (read where
    the data lives): a relationship or a meeting both attended, with its strength."""
    from stakemap.render.dot import CrossTie

    network = store.rule_runner(day).people_network(customer)
    return [CrossTie(theirs, ours, t.strength, t.last_contact, False)
            for theirs, ours, t in network.across()]


def _overview(store: GraphStore, playbook: Playbook | str | Iterable[str] | None,
              as_of: date | None,
              engine: str | None) -> Diagram:
    from stakemap.analysis.account import account_teams
    from stakemap.analysis.gaps import find_gaps
    from stakemap.render.dot import portfolio_dot

    scores = find_gaps(store, playbook=playbook, as_of=as_of).scores
    team = account_teams(store, [s.customer for s in scores])
    if engine is None:
        engine = next((e for limit, e in ENGINE_BY_SIZE if len(scores) <= limit), "sfdp")
    return Diagram(portfolio_dot(scores, team), engine=engine)
