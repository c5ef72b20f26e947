"""Who covers whom: our account team (columns) against the account's key people (rows), each
cell the tie between the two, if any, with its strength, kinds, last contact and warmth.

It answers the question a people map buries in its edges: for each person who decides or
matters at the account, which of us knows them, how well, and how recently; and who knows
nobody of ours at all. Vacant seats are in it too, because an empty chair is a coverage gap
that no tie can show: a vacant customer role is a row, a vacant role of ours a column.

Everything comes from store calls that both backends answer the same way (the account's
people network, its ``AccountView``, and the ``find_gaps`` findings), so the matrix is the
same data whichever store holds the portfolio; nothing here formats text for a page.

- **rows**: the account's active key people as ``stakemap.rules.vocabulary`` defines them
  (decision-makers, holders of a ``KEY_ROLES`` role at one of its things, influence >=
  ``KEY_INFLUENCE``), plus anyone the playbook reported as an uncovered decision-maker;
  decision-makers first, then most influential, then by name. Then one row per vacant
  customer seat.
- **columns**: the account's team (our active people with a role at, or ownership of, one
  of its things), in the role catalog's order of their first role there, then by name; then
  one column per vacant seat of ours.
- **cells**: the people network's tie between the two (relationship, meetings both
  attended, reporting line), with ``warmth`` from ``stakemap.analysis.paths.warmth``
  (strength, halved for every 180 days past 90 days without contact) and ``stale`` when the
  last contact is more than ``STALE_AFTER`` days old: the same threshold at which warmth
  starts to fade and the stale-relationship rule's default.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from stakemap.analysis.account import AccountView
from stakemap.analysis.gaps import Finding
from stakemap.analysis.paths import STALE_AFTER, warmth
from stakemap.analysis.review import Vacancy, vacancies
from stakemap.model.enums import Side
from stakemap.rules import RequiredRole, UncoveredDecisionMaker
from stakemap.rules.network import PeopleNetwork
from stakemap.rules.vocabulary import KEY_INFLUENCE, KEY_ROLES

if TYPE_CHECKING:
    from stakemap.analysis.playbook import Playbook
    from stakemap.backends import GraphStore
    from stakemap.graph import StakeholderGraph

__all__ = ["Cell", "Column", "CoverageMatrix", "Row", "Seat", "build_matrix", "coverage_matrix"]


@dataclass(frozen=True)
class Seat:
    """A vacant required seat: the playbook's ``Vacancy`` and since when it is empty."""

    vacancy: Vacancy
    since: date | None
    """When the last holding that counted ended; None when unknown."""

    @property
    def text(self) -> str:
        """"vacant since 2026-03-31", "vacant", or "1 of 2": what the seat says about itself."""
        v = self.vacancy
        base = f"{v.held} of {v.needed}" if v.held else "vacant"
        return f"{base} since {self.since.isoformat()}" if self.since else base


@dataclass(frozen=True)
class Row:
    """One of their key people, or (``seat`` set) a vacant seat on their side."""

    id: str
    name: str
    title: str | None = None
    roles: tuple[str, ...] = ()
    """Display names of the key roles they hold at the account."""
    influence: int | None = None
    decision_maker: bool = False
    uncovered: bool = False
    """The playbook reported them as an uncovered decision-maker: no tie with our team."""
    seat: Seat | None = None


@dataclass(frozen=True)
class Column:
    """One of our team, or (``seat`` set) a vacant seat on our side."""

    id: str
    name: str
    roles: tuple[str, ...] = ()
    """Display names of their roles at the account, in the catalog's order."""
    seat: Seat | None = None


@dataclass(frozen=True)
class Cell:
    """The tie between a row's person and a column's person."""

    row: str
    column: str
    kinds: tuple[str, ...]
    """Of "relationship", "meeting", "reporting", sorted."""
    strength: float
    last_contact: date | None
    warmth: float
    stale: bool


@dataclass(frozen=True)
class CoverageMatrix:
    """The whole matrix of one account as of one day (see the module)."""

    account: str
    account_name: str
    provider_name: str
    as_of: date
    rows: tuple[Row, ...]
    columns: tuple[Column, ...]
    cells: tuple[Cell, ...]

    def cell(self, row: str, column: str) -> Cell | None:
        """The tie between ``row`` and ``column``, None when they have none."""
        return self._index().get((row, column))

    def _index(self) -> dict[tuple[str, str], Cell]:
        cached: dict[tuple[str, str], Cell] | None = self.__dict__.get("_cells")
        if cached is None:
            cached = {(c.row, c.column): c for c in self.cells}
            object.__setattr__(self, "_cells", cached)
        return cached

    def covered_by(self, row: str) -> list[Cell]:
        """The row's ties with our team, warmest first."""
        return sorted((c for c in self.cells if c.row == row),
                      key=lambda c: (-c.warmth, c.column))

    @property
    def people_rows(self) -> tuple[Row, ...]:
        return tuple(r for r in self.rows if r.seat is None)

    @property
    def people_columns(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.seat is None)


def build_matrix(view: AccountView, network: PeopleNetwork, findings: Iterable[Finding],
                 as_of: date) -> CoverageMatrix:
    """The matrix from what the stores read (pure: the same inputs give the same matrix)."""
    account = view.account.id
    findings = [f for f in findings if f.customer in (None, account)]
    catalog = view.catalog
    order = {role.id: i for i, role in enumerate(catalog)}
    things = {account, *(s.id for s, _ in view.services), *(a.id for a in view.agreements)}
    titles = {p.id: p.title for p in (*view.customer_people, *view.team)}

    def role_name(role_id: str) -> str:
        role = catalog.get(role_id)
        return role.name if role else role_id

    roles_of: dict[str, list[str]] = {}
    for r in sorted(view.roles, key=lambda r: (order.get(r.role, len(order)), r.role)):
        if r.target in things and r.role not in roles_of.get(r.source, []):
            roles_of.setdefault(r.source, []).append(r.role)
    deciders = {a.source for a in view.authority if a.target in things}
    uncovered = {f.subject for f in findings if f.rule_class is UncoveredDecisionMaker}
    deciders |= uncovered

    rows = []
    for p in network.people:
        if p.side is not Side.CUSTOMER:
            continue
        key_roles = [r for r in roles_of.get(p.id, []) if r in KEY_ROLES]
        if not (p.id in deciders or key_roles or (p.influence or 0) >= KEY_INFLUENCE):
            continue
        rows.append(Row(id=p.id, name=p.name, title=titles.get(p.id),
                        roles=tuple(role_name(r) for r in key_roles), influence=p.influence,
                        decision_maker=p.id in deciders, uncovered=p.id in uncovered))
    rows.sort(key=lambda r: (not r.decision_maker, -(r.influence or 0), r.name, r.id))

    team = [p for p in network.people if p.team and p.side is Side.PROVIDER]
    columns = [Column(id=p.id, name=p.name,
                      roles=tuple(role_name(r) for r in roles_of.get(p.id, [])))
               for p in team]
    columns.sort(key=lambda c: (
        min((order.get(r, len(order)) for r in roles_of.get(c.id, [])), default=len(order)),
        c.name, c.id))

    for seat in _seats(findings, view):
        if seat.vacancy.side is Side.PROVIDER:
            columns.append(Column(id=f"vacant:{seat.vacancy.code}", name=seat.vacancy.name,
                                  seat=seat))
        else:
            rows.append(Row(id=f"vacant:{seat.vacancy.code}", name=seat.vacancy.name,
                            seat=seat))

    row_ids = {r.id for r in rows if r.seat is None}
    column_ids = {c.id for c in columns if c.seat is None}
    cells = []
    for theirs, ours, t in network.across():
        if theirs in row_ids and ours in column_ids:
            late = t.last_contact is not None and (as_of - t.last_contact).days > STALE_AFTER
            cells.append(Cell(row=theirs, column=ours, kinds=t.kinds, strength=t.strength,
                              last_contact=t.last_contact, warmth=round(warmth(t, as_of), 4),
                              stale=late))
    cells.sort(key=lambda c: (c.row, c.column))
    return CoverageMatrix(account=account, account_name=view.account.name,
                          provider_name=view.provider.name if view.provider else "Our team",
                          as_of=as_of, rows=tuple(rows), columns=tuple(columns),
                          cells=tuple(cells))


def _seats(findings: list[Finding], view: AccountView) -> list[Seat]:
    """The vacant seats at the account, each with the day it became vacant (the required-role
    finding's detail), through ``vacancies`` so the pack's role table agrees."""
    out = []
    for f in findings:
        found = vacancies([f], view.catalog, view.account.id)
        if found:
            since = f.detail.vacant_since if isinstance(f.detail, RequiredRole.Detail) else None
            out.append(Seat(found[0], since))
    return out


def coverage_matrix(source: StakeholderGraph | GraphStore, customer: str, *,
                    playbook: Playbook | str | Iterable[str] | None = None,
                    as_of: date | None = None, findings: Iterable[Finding] | None = None,
                    ) -> CoverageMatrix:
    """The coverage matrix of ``customer`` as of ``as_of`` (default today), with the
    playbook's vacancies and uncovered decision-makers marked. ``findings`` (with
    ``as_of``) reuses a ``find_gaps`` run the caller already made, as the review pack does,
    so the matrix and the rest of the pack are judged on one run."""
    from stakemap.analysis.gaps import find_gaps
    from stakemap.graph import StakeholderGraph

    store: GraphStore = source.store if isinstance(source, StakeholderGraph) else source
    if findings is None or as_of is None:
        report = find_gaps(store, playbook=playbook, as_of=as_of, customers=[customer])
        findings, as_of = report.findings, report.as_of
    view = AccountView.from_store(store, customer)
    network = store.rule_runner(as_of).people_network(customer)
    return build_matrix(view, network, findings, as_of)
