"""CRM rows merged into a portfolio: people found again, changes listed, nothing deleted.

A contact is found again by its CRM id in ``external_ids[system]``; a contact the
portfolio does not know by that id yet is matched by email, then by name at the same
company, so the first import into a hand-written portfolio adds ids to the people already
there instead of duplicating them. A company is found by its CRM id, then by name.

What an import changes is only ever added or filled in: a cell left empty keeps the
portfolio's value, a role the CRM no longer lists stays, and a person who vanished from the
export is reported, not deleted (leaving is a fact the team records, with a date). A
reporting line is added where the person has no manager yet; a different one already
there is kept and reported, because the portfolio is what the team curated.
"""

from __future__ import annotations

import os
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import ValidationError

from stakemap.crm.mapping import CrmImportError, CrmMapping
from stakemap.crm.presets import Preset
from stakemap.crm.read import Row, Table
from stakemap.errors import Problem
from stakemap.model.edges import Edge, HoldsRole, Relationship, ReportsTo
from stakemap.model.enums import OrgKind, ReportLine, Side, Stance
from stakemap.model.integrity import check_portfolio, did_you_mean
from stakemap.model.nodes import Node, Organization, Person
from stakemap.model.portfolio import Portfolio

if TYPE_CHECKING:
    from stakemap.backends import GraphStore
    from stakemap.graph import StakeholderGraph

__all__ = ["Change", "CrmImport", "Vanished", "merge"]

T = TypeVar("T")


@dataclass(frozen=True)
class Change:
    """One thing an import adds or changes."""

    action: str
    """"added" or "updated"."""
    what: str
    """"organization", "person", "role", "reporting line" or "relationship"."""
    id: str
    name: str
    fields: tuple[tuple[str, str | None, str | None], ...] = ()
    """For an update: (field, before, after)."""
    where: str = ""
    """The row it came from, ``file:line``."""

    def as_json(self) -> dict[str, Any]:
        return {"action": self.action, "what": self.what, "id": self.id, "name": self.name,
                "fields": [{"field": f, "before": b, "after": a} for f, b, a in self.fields],
                "where": self.where}


@dataclass(frozen=True)
class Vanished:
    """Someone the portfolio knows by a CRM id at a company of the export, not in it."""

    id: str
    name: str
    organization: str
    external_id: str
    organization_name: str


@dataclass(frozen=True)
class CrmImport:
    """What an import found and would write: the merged portfolio and every change."""

    system: str
    portfolio: Portfolio
    changes: tuple[Change, ...]
    vanished: tuple[Vanished, ...]
    unmapped_columns: dict[str, tuple[str, ...]]
    """File -> the columns nothing read (add them to the mapping's ``columns`` or
    ``ignore``)."""
    unmapped_roles: dict[str, int]
    """CRM role name -> how many rows gave it, for roles no mapping maps."""
    warnings: tuple[Problem, ...]
    """Rows imported with something left out: a manager or an owner not found."""
    rows: int
    skipped: dict[str, tuple[int, ...]] = field(default_factory=dict)
    """File -> lines of one cell (a report's totals and footer) that were not rows."""
    written_nodes: tuple[Node, ...] = ()
    """The nodes added or changed: what a store is given."""
    written_edges: tuple[Edge, ...] = ()
    """The edges added."""

    def counts(self) -> Counter[tuple[str, str]]:
        return Counter((c.action, c.what) for c in self.changes)

    def write(self, target: str | os.PathLike[str] | StakeholderGraph | GraphStore, *,
              inputs: Iterable[str | os.PathLike[str]] = ()) -> None:
        """Write the import: a portfolio file is replaced whole, atomically (never one of
        ``inputs``); a graph or store is given only the nodes and edges that changed."""
        from stakemap.files.save import write_portfolio
        from stakemap.graph import StakeholderGraph

        if isinstance(target, str | os.PathLike):
            write_portfolio(self.portfolio, target, inputs=inputs)
            return
        store = target.store if isinstance(target, StakeholderGraph) else target
        store.put_nodes(self.written_nodes)
        store.put_edges(self.written_edges)

    def summary(self, *, files: int) -> list[str]:
        """The import in lines of plain text (the CLI's report): what is added and
        changed, who vanished, what nothing read, what was left out."""
        counts = self.counts()

        def listed(action: str) -> str:
            parts = [f"{counts[(action, what)]} "
                     f"{_WHAT[what] if counts[(action, what)] != 1 else what}"
                     for what in _WHAT if counts[(action, what)]]
            return ", ".join(parts) or "nothing"

        out = [f"{self.system}: {files} file{'s' if files != 1 else ''}, {self.rows} rows",
               f"added: {listed('added')}", f"updated: {listed('updated')}"]
        for change in self.changes:
            if change.action == "updated":
                fields = "; ".join(f"{f} {b or '-'} -> {a or '-'}" for f, b, a in change.fields)
                out.append(f"  {change.name} ({change.id}): {fields}")
        if self.vanished:
            out.append(f"not in this export, kept ({len(self.vanished)}; mark them left if "
                       "they left):")
            out += [f"  {v.name} ({v.id}, {self.system} {v.external_id}) at "
                    f"{v.organization_name}" for v in self.vanished]
        for file, columns in self.unmapped_columns.items():
            out.append(f"unmapped columns in {file}: {', '.join(columns)} (map them under "
                       "columns: or ignore: in --mapping)")
        if self.unmapped_roles:
            roles = ", ".join(f"{name} ({n})" for name, n in self.unmapped_roles.items())
            out.append(f"unmapped roles: {roles} (map them under roles: in --mapping)")
        for file, lines in self.skipped.items():
            out.append(f"skipped in {file}: {len(lines)} line{'s' if len(lines) != 1 else ''}"
                       f" of one cell (a report's totals or footer), from line {lines[0]}")
        if self.warnings:
            out.append(f"left out ({len(self.warnings)}):")
            out += [f"  {w}" for w in self.warnings]
        return out


    def as_json(self) -> dict[str, Any]:
        """The shape of ``stakemap import-csv --format json``."""
        return {"system": self.system, "rows": self.rows,
                "changes": [c.as_json() for c in self.changes],
                "vanished": [{"id": v.id, "name": v.name, "organization": v.organization,
                              "external_id": v.external_id} for v in self.vanished],
                "unmapped_columns": {k: list(v) for k, v in self.unmapped_columns.items()},
                "unmapped_roles": dict(self.unmapped_roles),
                "warnings": [str(w) for w in self.warnings],
                "skipped": {k: list(v) for k, v in self.skipped.items()}}


_WHAT = {"organization": "organizations", "person": "people", "role": "roles",
         "reporting line": "reporting lines", "relationship": "relationships"}


def _at(row: Row, message: str, fix: str) -> Problem:
    """A problem of one row, located at the line it starts on."""
    return Problem(row.file, row.line, None, message, fix)


def _slug(name: str) -> str:
    return re.sub(r"[^\w]+", "-", name.lower()).strip("-_") or "x"


class _Merge:
    """One import being merged: the base's indexes, what changed, what went wrong."""

    def __init__(self, base: Portfolio, preset: Preset, mapping: CrmMapping) -> None:
        self.system = mapping.system or preset.system
        self.nodes: dict[str, Node] = {n.id: n for n in base.nodes}
        self.edges: dict[str, Edge] = {e.key: e for e in base.edges}
        self.base_nodes = dict(self.nodes)
        self.base_edge_keys = set(self.edges)
        self.catalog = base.catalog()
        self.roles: dict[str, str | None] = {k.lower(): v for k, v in preset.roles.items()}
        self.roles |= {k.lower(): v for k, v in mapping.roles.items()}
        self.stances = {k.lower(): v for k, v in mapping.stances.items()}
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []
        self.changes: list[Change] = []
        self.unmapped_roles: Counter[str] = Counter()
        self.touched_orgs: set[str] = set()
        self.seen_ids: dict[str, str] = {}  # CRM id -> "file:line"
        self.person_of_row: dict[tuple[str, int], str] = {}
        # indexes, kept as nodes are put: a scan of every node per row was quadratic
        self.external: dict[tuple[str, str], str] = {}  # (kind, CRM id) -> node id
        self.emails: dict[str, list[str]] = defaultdict(list)
        self.named: dict[tuple[str | None, str], list[str]] = defaultdict(list)
        self.anywhere: dict[str, list[str]] = defaultdict(list)  # name or email -> people
        for node in base.nodes:
            self._index(node)
        self.managers: dict[str, list[ReportsTo]] = defaultdict(list)  # solid lines
        self.ties: set[frozenset[str]] = set()
        for edge in base.edges:
            self._index_edge(edge)

    def _index_edge(self, edge: Edge) -> None:
        if isinstance(edge, ReportsTo) and edge.line is ReportLine.SOLID:
            self.managers[edge.source].append(edge)
        elif isinstance(edge, Relationship):
            self.ties.add(frozenset((edge.source, edge.target)))

    def _index(self, node: Node) -> None:
        crm_id = node.external_ids.get(self.system)
        if crm_id:
            self.external[(node.kind.value, crm_id)] = node.id
        key = node.name.strip().lower()
        if isinstance(node, Person):
            self.named[(node.organization, key)].append(node.id)
            self.anywhere[key].append(node.id)
            if node.email:
                self.emails[node.email.strip().lower()].append(node.id)
                self.anywhere[node.email.strip().lower()].append(node.id)
        elif isinstance(node, Organization):
            self.named[(None, key)].append(node.id)

    # -- lookups ---------------------------------------------------------------------

    def _people(self) -> list[Person]:
        return [n for n in self.nodes.values() if isinstance(n, Person)]

    def _by_external(self, kind: type[Any], crm_id: str) -> Any:
        found = self.external.get((kind.model_fields["kind"].default.value, crm_id))
        return self.nodes[found] if found is not None else None

    def _live(self, ids: list[str], kind: type[T]) -> list[T]:
        """The nodes behind an index entry that still say what the entry says."""
        return [n for i in dict.fromkeys(ids) if isinstance(n := self.nodes.get(i), kind)]

    def _new_id(self, name: str) -> str:
        stem = _slug(name)
        candidate, n = stem, 1
        while candidate in self.nodes:
            n += 1
            candidate = f"{stem}-{n}"
        return candidate

    def _put(self, node: Node, where: str, before: Node | None = None) -> None:
        self.nodes[node.id] = node
        self._index(node)
        if before is None:
            self.changes.append(Change("added", node.kind.value, node.id, node.name,
                                       where=where))
            return
        diffs = tuple((name, _text(getattr(before, name)), _text(getattr(node, name)))
                      for name in type(node).model_fields
                      if getattr(before, name) != getattr(node, name))
        if diffs:
            self.changes.append(Change("updated", node.kind.value, node.id, node.name, diffs,
                                       where))

    def _edge(self, edge: Edge, what: str, name: str, where: str) -> None:
        if edge.key in self.edges:
            return
        self.edges[edge.key] = edge
        self._index_edge(edge)
        self.changes.append(Change("added", what, edge.key, name, where=where))

    # -- organizations and people ----------------------------------------------------

    def organization(self, row: Row) -> str | None:
        where = f"{row.file}:{row.line}"
        name, crm_id = row.values.get("account"), row.values.get("account_id")
        found = self._by_external(Organization, crm_id) if crm_id else None
        if found is None and name:
            found = next(iter(self._live(self.named.get((None, name.lower()), []),
                                         Organization)), None)
        if found is None:
            if not name:
                return None
            made = self._make(Organization, row, id=self._new_id(name), name=name,
                              type=OrgKind.CUSTOMER,
                              external_ids={self.system: crm_id} if crm_id else {})
            if made is None:
                return None
            self._put(made, where)
            found = made
        elif crm_id and found.external_ids.get(self.system) != crm_id:
            updated = found.model_copy(update={"external_ids": {**found.external_ids,
                                                                self.system: crm_id}})
            self._put(updated, where, found)
            found = updated
        self.touched_orgs.add(found.id)
        return str(found.id)

    def person(self, row: Row) -> None:
        where = f"{row.file}:{row.line}"
        values = row.values
        name = values.get("full_name") or " ".join(
            v for v in (values.get("first_name"), values.get("last_name")) if v)
        if not name:
            self.problems.append(_at(row, "row has no name",
                                     "fill in the first and last name, or remove the row"))
            return
        crm_id = values.get("id")
        if crm_id:
            if crm_id in self.seen_ids:
                first = self.seen_ids[crm_id]
                first = first.replace(f"{row.file}:", "line ", 1) \
                    if first.startswith(f"{row.file}:") else first
                self.problems.append(_at(
                    row, f"contact id '{crm_id}' appears twice (first at {first})",
                    "remove one of the two rows"))
                return
            self.seen_ids[crm_id] = where
        organization = self.organization(row)
        found = self._match(crm_id, values.get("email"), name, organization)
        if organization is None and found is None:
            self.problems.append(_at(
                row, f"'{name}' has no company",
                "fill in the company (account) name, or remove the row"))
            return
        update: dict[str, Any] = {"name": name}
        for key in ("title", "email"):
            if values.get(key):
                update[key] = values[key]
        if organization is not None:
            update["organization"] = organization
        if crm_id:
            current = found.external_ids if found is not None else {}
            update["external_ids"] = {**current, self.system: crm_id}
        stance = self._stance(values.get("role", ""))
        if stance is not None:
            update["stance"] = stance
        if found is None:
            made = self._make(Person, row, id=self._new_id(name), **update)
            if made is None:
                return
            self._put(made, where)
            person = made
        else:
            changed = self._make(Person, row,
                                 **(found.model_dump(exclude={"kind"}) | update))
            if changed is None:
                return
            self._put(changed, where, found)
            person = changed
        self.person_of_row[(row.file, row.line)] = person.id
        self.roles_of(person, values.get("role", ""), person.organization, where)

    def _match(self, crm_id: str | None, email: str | None, name: str,
               organization: str | None) -> Person | None:
        if crm_id:
            found: Person | None = self._by_external(Person, crm_id)
            if found is not None:
                return found
        def free(p: Person) -> bool:  # not already another contact of this CRM
            return not (crm_id and self.system in p.external_ids)

        if email:
            found = next((p for p in self._live(self.emails.get(email.lower(), []), Person)
                          if free(p) and (p.email or "").strip().lower() == email.lower()),
                         None)
            if found is not None:
                return found
        return next((p for p in self._live(self.named.get((organization, name.lower()), []),
                                           Person)
                     if free(p) and p.organization == organization
                     and p.name.strip().lower() == name.lower()), None)

    def _make(self, model: type[Any], row: Row, **values: Any) -> Any:
        try:
            return model(**values)
        except ValidationError as exc:
            for error in exc.errors():
                place = ".".join(str(p) for p in error["loc"])
                self.problems.append(_at(row, f"{place}: {error['msg']}",
                                         "correct the cell in the CRM or the export"))
            return None

    def _stance(self, cell: str) -> Stance | None:
        found = [self.stances[r.strip().lower()] for r in cell.split(";")
                 if r.strip().lower() in self.stances]
        return found[-1] if found else None

    # -- roles, managers, owners -----------------------------------------------------

    def roles_of(self, person: Person, cell: str, organization: str, where: str) -> None:
        for raw in (r.strip() for r in cell.split(";")):
            if not raw:
                continue
            role = self.roles.get(raw.lower(), "")
            if role is None or (not role and raw.lower() in self.stances):
                continue  # mapped to nothing on purpose, or a stance
            if not role:
                self.unmapped_roles[raw] += 1
                continue
            self._edge(HoldsRole(source=person.id, target=organization, role=role), "role",
                       f"{person.name}: {raw}", where)

    def role_row(self, row: Row) -> None:
        where = f"{row.file}:{row.line}"
        contact = row.values.get("contact_id")
        person = self._by_external(Person, contact) if contact else None
        if person is None:
            self.warnings.append(_at(
                row, f"contact '{contact}' is in neither the contact files nor the "
                "portfolio; its role was not imported",
                "export the contact too, or remove the row"))
            return
        org = self._by_external(Organization, row.values["account_id"]) \
            if row.values.get("account_id") else None
        self.roles_of(person, row.values.get("role", ""),
                      org.id if org is not None else person.organization, where)

    def manager(self, row: Row) -> None:
        person_id = self.person_of_row.get((row.file, row.line))
        crm_id, name = row.values.get("reports_to_id"), row.values.get("reports_to")
        if person_id is None or not (crm_id or name):
            return
        person = self.nodes[person_id]
        assert isinstance(person, Person)
        boss: Person | None = self._by_external(Person, crm_id) if crm_id else None
        if boss is None and name:
            same = [p for p in self._live(self.named.get((person.organization, name.lower()),
                                                         []), Person)
                    if p.organization == person.organization
                    and p.name.strip().lower() == name.lower() and p.id != person.id]
            boss = same[0] if len(same) == 1 else None
        if boss is None:
            self.warnings.append(_at(
                row, f"manager '{name or crm_id}' of {person.name} is not among the "
                "company's people; the reporting line was not imported",
                "export the manager too, or add them to the portfolio"))
            return
        current = self.managers.get(person.id, [])
        if any(e.target == boss.id for e in current):
            return
        if current:
            kept = self.nodes[current[0].target]
            self.warnings.append(_at(
                row, f"the CRM says {person.name} reports to {boss.name}; the portfolio "
                f"says {kept.name}, which is kept",
                "change the reporting line in the portfolio if the CRM is right"))
            return
        self._edge(ReportsTo(source=person.id, target=boss.id), "reporting line",
                   f"{person.name} -> {boss.name}", f"{row.file}:{row.line}")

    def owner(self, row: Row, unknown: set[str]) -> None:
        person_id = self.person_of_row.get((row.file, row.line))
        owner = row.values.get("owner")
        if person_id is None or not owner:
            return
        key = owner.lower()
        ours = [p for p in self._live(self.anywhere.get(key, []), Person)
                if self._side(p) is Side.PROVIDER
                and key in (p.name.strip().lower(), (p.email or "").strip().lower())]
        if len(ours) != 1:
            if owner not in unknown:
                unknown.add(owner)
                self.warnings.append(_at(
                    row, f"contact owner '{owner}' is not one of our people; no tie was "
                    "imported for the contacts they own",
                    "add them to the portfolio under our organization, with that name"))
            return
        a, b = sorted((ours[0].id, person_id))
        if frozenset((a, b)) in self.ties:
            return
        self._edge(Relationship(source=a, target=b), "relationship",
                   f"{ours[0].name} - {self.nodes[person_id].name} (contact owner)",
                   f"{row.file}:{row.line}")

    def _side(self, person: Person) -> Side | None:
        org = self.nodes.get(person.organization)
        return org.side if isinstance(org, Organization) else None

    def vanished(self) -> list[Vanished]:
        seen = set(self.seen_ids)
        return [Vanished(p.id, p.name, p.organization, p.external_ids[self.system],
                         self.nodes[p.organization].name if p.organization in self.nodes
                         else p.organization)
                for p in self._people()
                if self.system in p.external_ids and p.external_ids[self.system] not in seen
                and p.organization in self.touched_orgs and p.id in self.base_nodes]


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in sorted(value.items())) or None
    return str(getattr(value, "value", value))


def merge(tables: Sequence[Table], base: Portfolio, preset: Preset, mapping: CrmMapping,
          *, mapping_name: str | None = None) -> CrmImport:
    """Merge the rows of ``tables`` into ``base``; ``CrmImportError`` lists every row that
    cannot be imported (then nothing is to be written)."""
    work = _Merge(base, preset, mapping)
    work.problems += _check_mapping(work, mapping, mapping_name)
    unusable = {t.file: _check_columns(t) for t in tables}
    work.problems += [p for found in unusable.values() for p in found]
    tables = [t for t in tables if not unusable[t.file]]  # the others still find problems
    work.problems += [p for t in tables for p in t.problems]
    contacts = [t for t in tables if not t.roles_only]
    for table in contacts:
        for row in table.rows:
            work.person(row)
    for table in tables:
        if table.roles_only:
            for row in table.rows:
                work.role_row(row)
    unknown: set[str] = set()
    for table in contacts:
        for row in table.rows:
            work.manager(row)
            work.owner(row, unknown)
    if work.problems:
        raise CrmImportError(work.problems)
    portfolio = Portfolio.build(name=base.name, roles=base.roles, nodes=work.nodes.values(),
                                edges=work.edges.values())
    violations = check_portfolio(portfolio)
    if violations:
        raise CrmImportError([Problem(tables[0].file if tables else "import", None, None,
                                      v.message, v.hint) for v in violations])
    written = [n for n in work.nodes.values() if work.base_nodes.get(n.id) != n]
    return CrmImport(
        system=work.system, portfolio=portfolio, changes=tuple(work.changes),
        vanished=tuple(work.vanished()),
        unmapped_columns={t.file: t.unmapped for t in tables if t.unmapped},
        unmapped_roles=dict(sorted(work.unmapped_roles.items())),
        warnings=tuple(work.warnings), rows=sum(len(t.rows) for t in tables),
        skipped={t.file: t.notes for t in tables if t.notes},
        written_nodes=tuple(sorted(written, key=lambda n: n.id)),
        written_edges=tuple(e for k, e in sorted(work.edges.items())
                            if k not in work.base_edge_keys))


def _check_mapping(work: _Merge, mapping: CrmMapping, name: str | None) -> list[Problem]:
    known = [r.id for r in work.catalog]
    out = []
    for crm, role in mapping.roles.items():
        if role is not None and work.catalog.get(role) is None:
            hint = did_you_mean(role, known)
            out.append(Problem(name or "mapping", None, None,
                               f"roles: '{crm}' maps to '{role}', which is no role",
                               hint or "see `stakemap roles` for the role ids"))
    return out


def _check_columns(table: Table) -> list[Problem]:
    if table.roles_only:
        missing = [f for f in ("contact_id", "role") if f not in table.columns]
        if missing:
            return [Problem(table.file, 1, None, "no column for the contact's name, and no "
                            "contact id and role: neither a contact export nor a contact-role "
                            "export", "export the contacts with their names (First Name, "
                            "Last Name), or map the columns with --mapping")]
        return []
    if "account" not in table.columns and "account_id" not in table.columns:
        return [Problem(table.file, 1, None, "no column for the company (Account Name, "
                        "Company Name)", "export it too, or map its column with --mapping "
                        "(columns: {account: ...})")]
    return []

