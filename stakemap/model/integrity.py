"""Rules that make a graph consistent, shared by the file loader and the Python API.

Each check returns ``Violation``s naming the node or edge at fault and the field, so the
loader can point at a line in a file and ``StakeholderGraph`` can raise on a single call,
from one definition of what "consistent" means.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from stakemap.model.edges import ENDPOINTS, Consumes, EdgeBase, HoldsRole
from stakemap.model.enums import EdgeKind, NodeKind, OrgKind, PersonStatus, Side
from stakemap.model.nodes import (
    RATED_FIELDS,
    Agreement,
    NodeBase,
    Organization,
    Person,
    latest_assessed,
)
from stakemap.model.roles import BUILTIN_ROLES, RoleCatalog, RoleDefinition
from stakemap.model.suggest import SuggestionIndex, closest

if TYPE_CHECKING:
    from stakemap.model.portfolio import Portfolio

__all__ = [
    "IdSuggester",
    "Violation",
    "check_cycles",
    "check_edge",
    "check_edges",
    "check_node",
    "check_portfolio",
    "check_role_definitions",
    "did_you_mean",
    "first_role_definition",
    "side_of",
]


@dataclass(frozen=True)
class Violation:
    """What is wrong, how to fix it, and where: a node id or edge key plus the field."""

    message: str
    hint: str | None = None
    node: str | None = None
    edge: str | None = None
    field: str | None = None
    missing_id: str | None = None  # set when the problem is a reference to an unknown id


def did_you_mean(word: str, candidates: Iterable[str]) -> str | None:
    """A "did you mean 'x'?" hint for a near miss, or None when nothing is close.

    A plain difflib scan: right for one word against a short list (roles, fields, codes).
    Many words against many ids go through ``IdSuggester`` instead.
    """
    return _hint(closest(word, candidates))


def _hint(match: str | None) -> str | None:
    return f"did you mean '{match}'?" if match is not None else None


class IdSuggester:
    """The "did you mean" hints for unknown references, over the ids of one nodes mapping.

    One validation run makes one and passes it to every check. Without it, each unknown
    reference scanned every node for ids of the wanted kinds and compared itself with all
    of them, so a file with thousands of misspelt references took minutes. Here each set of
    kinds gets one ``SuggestionIndex``, built the first time a reference to them is unknown
    (a valid portfolio builds none). It is a snapshot of ``nodes``: make a new one when the
    nodes change.
    """

    def __init__(self, nodes: Mapping[str, NodeBase]) -> None:
        self.nodes = nodes
        self._indexes: dict[frozenset[NodeKind], SuggestionIndex] = {}

    def hint(self, ref: str, kinds: frozenset[NodeKind]) -> str | None:
        """A "did you mean 'x'?" naming the id of one of ``kinds`` closest to ``ref``."""
        index = self._indexes.get(kinds)
        if index is None:
            index = self._indexes[kinds] = SuggestionIndex(_ids_of(self.nodes, kinds))
        return _hint(index.closest(ref))


def side_of(person: Person, nodes: Mapping[str, NodeBase]) -> Side | None:
    """The side a person is on, from their organization (partners count as provider side)."""
    org = nodes.get(person.organization)
    if not isinstance(org, Organization) or "type" not in org.__dict__:
        return None  # no organization, or one the loader could not validate (reported there)
    return org.side


def _ids_of(nodes: Mapping[str, NodeBase], kinds: Iterable[NodeKind]) -> list[str]:
    wanted = set(kinds)
    return [i for i, n in nodes.items() if _kind(n) in wanted]


def _kind(node: NodeBase) -> NodeKind:
    kind: NodeKind = getattr(node, "kind")  # noqa: B009 - every concrete node has it
    return kind


def _reference(
    ref: str,
    kinds: frozenset[NodeKind],
    nodes: Mapping[str, NodeBase],
    what: str,
    *,
    node: str | None = None,
    edge: str | None = None,
    field: str,
    suggest: IdSuggester | None = None,
) -> Violation | None:
    target = nodes.get(ref)
    names = sorted(k.value for k in kinds)
    wanted = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"
    if target is None:
        # one reference on its own (a single graph verb) scans; a run over many shares an index
        near = (suggest.hint(ref, kinds) if suggest is not None and suggest.nodes is nodes
                else did_you_mean(ref, _ids_of(nodes, kinds)))
        hint = near or f"add a {names[0]} with id '{ref}'"
        return Violation(f"{what}: unknown {wanted} '{ref}'", hint, node, edge, field, ref)
    if _kind(target) not in kinds:
        return Violation(
            f"{what}: '{ref}' is {_a(_kind(target).value)}, not {_a(wanted)}",
            None, node, edge, field,
        )
    return None


def _a(noun: str) -> str:
    return f"{'an' if noun[:1] in 'aeiou' else 'a'} {noun}"


_ORG = frozenset({NodeKind.ORGANIZATION})
_PERSON_TO_PERSON = (EdgeKind.RELATIONSHIP, EdgeKind.REPORTS_TO, EdgeKind.DIRECTED_TIE)


def check_node(node: NodeBase, nodes: Mapping[str, NodeBase],
               suggest: IdSuggester | None = None) -> list[Violation]:
    """References a node makes through its own fields (a person's organization, a parent).

    Checking many nodes, pass one ``IdSuggester(nodes)`` to every call: hints for unknown
    references then come from one index instead of a scan of all ids per reference.
    """
    found: list[Violation] = []
    if isinstance(node, Person):
        v = _reference(node.organization, _ORG, nodes, f"person '{node.id}': organization",
                       node=node.id, field="organization", suggest=suggest)
        found += [v] if v else []
        found += _check_person(node)
    elif isinstance(node, Agreement):
        found += _check_agreement(node)
    elif isinstance(node, Organization):
        if node.parent is not None:
            if node.parent == node.id:
                found.append(Violation(f"organization '{node.id}' is its own parent",
                                       "remove 'parent' or name another organization",
                                       node=node.id, field="parent"))
            else:
                v = _reference(node.parent, _ORG, nodes, f"organization '{node.id}': parent",
                               node=node.id, field="parent", suggest=suggest)
                found += [v] if v else []
        if node.phase is not None and node.type is not OrgKind.CUSTOMER:
            found.append(Violation(
                f"organization '{node.id}' is a {node.type.value}; only customers have a phase",
                "remove 'phase' or set 'type: customer'", node=node.id, field="phase"))
    return found


def _check_person(person: Person) -> list[Violation]:
    """``left_on`` with ``status: active`` says two things at once; a rating given on the
    person that disagrees with the latest assessment setting it hides which one is current."""
    found: list[Violation] = []
    if person.left_on is not None and person.status is PersonStatus.ACTIVE:
        found.append(Violation(
            f"person '{person.id}' is 'status: active' but left on "
            f"{person.left_on.isoformat()} (left_on)",
            "remove 'status' (left_on implies status: left) or remove 'left_on'",
            node=person.id, field="status"))
    for field in RATED_FIELDS:
        latest = latest_assessed(person.assessments, field) if person.assessments else None
        value = getattr(person, field)
        if latest is None or value == getattr(latest, field):
            continue
        by = f" by {latest.by}" if latest.by else ""
        found.append(Violation(
            f"person '{person.id}': {field} is {_shown(value)}, but the latest assessment "
            f"of it ({latest.on.isoformat()}{by}) says {_shown(getattr(latest, field))}",
            f"remove '{field}' here (the latest assessment gives it) or add a newer "
            f"assessment", node=person.id, field=field))
    return found


def _shown(value: object) -> str:
    text = getattr(value, "value", value)
    return f"'{text}'" if isinstance(text, str) else str(text)


def _check_agreement(agreement: Agreement) -> list[Violation]:
    """An agreement that ends before it starts applies on no day: most likely the two dates
    were swapped."""
    if agreement.starts is None or agreement.ends is None or agreement.starts <= agreement.ends:
        return []
    return [Violation(
        f"agreement '{agreement.id}' starts ({agreement.starts.isoformat()}) after it ends "
        f"({agreement.ends.isoformat()})", "swap the dates or remove one",
        node=agreement.id, field="starts")]


def check_edges(
    edges: Iterable[EdgeBase], nodes: Mapping[str, NodeBase], catalog: RoleCatalog,
    suggest: IdSuggester | None = None,
) -> list[Violation]:
    """``check_edge`` over many edges, sharing one ``IdSuggester`` (made here if not given)."""
    if suggest is None or suggest.nodes is not nodes:
        suggest = IdSuggester(nodes)
    return [v for edge in edges for v in check_edge(edge, nodes, catalog, suggest)]


def check_edge(
    edge: EdgeBase, nodes: Mapping[str, NodeBase], catalog: RoleCatalog,
    suggest: IdSuggester | None = None,
) -> list[Violation]:
    """Endpoints exist and have the right kinds; roles are known and held by the right side."""
    sources, targets = ENDPOINTS[edge.kind]
    source, target = nodes.get(edge.source), nodes.get(edge.target)
    if source is not None and target is not None and edge.source != edge.target \
            and _kind(source) in sources and _kind(target) in targets:
        # the common case, decided before any message is built: hundreds of thousands of
        # valid edges in a large portfolio
        if isinstance(edge, HoldsRole):
            return _check_role(edge, nodes, catalog)
        return _check_consumer(edge, source) if isinstance(edge, Consumes) else []
    label = edge.kind.value.replace("_", " ")
    what = f"{label} '{edge.source}' -> '{edge.target}'"
    found = [
        v for v in (
            _reference(edge.source, sources, nodes, what, edge=edge.key, field="source",
                       suggest=suggest),
            _reference(edge.target, targets, nodes, what, edge=edge.key, field="target",
                       suggest=suggest),
        ) if v
    ]
    if edge.kind in _PERSON_TO_PERSON and edge.source == edge.target:
        found.append(Violation(f"{label} joins '{edge.source}' to themselves",
                               "name two different people", edge=edge.key, field="target"))
    if isinstance(edge, HoldsRole):
        found += _check_role(edge, nodes, catalog)
    elif isinstance(edge, Consumes) and source is not None:
        found += _check_consumer(edge, source)
    return found


def _check_consumer(edge: Consumes, source: NodeBase) -> list[Violation]:
    """Only customers consume services: a provider or partner listed under ``consumers``
    becomes an account of its own service, which the gap rules and the reports then count
    as a customer."""
    if not isinstance(source, Organization) or source.type is OrgKind.CUSTOMER:
        return []
    return [Violation(
        f"service '{edge.target}': only customers consume services; '{source.id}' is "
        f"{_a(source.type.value)}",
        f"name a customer organization, or give '{source.id}' 'type: customer'",
        edge=edge.key, field="source")]


def _check_role(edge: HoldsRole, nodes: Mapping[str, NodeBase], catalog: RoleCatalog
                ) -> list[Violation]:
    found = _check_dates(edge)
    role = catalog.get(edge.role)
    if role is None:
        hint = did_you_mean(edge.role, catalog.ids()) or "declare it under 'roles:' at the top"
        return [Violation(f"person '{edge.source}': unknown role '{edge.role}'", hint,
                          edge=edge.key, field="role"), *found]
    person = nodes.get(edge.source)
    if not isinstance(person, Person):
        return found
    side = side_of(person, nodes)
    if side is not None and side is not role.side:
        found.insert(0, Violation(
            f"'{role.id}' is a {role.side.value}-side role, but '{person.id}' is on the "
            f"{side.value} side ({person.organization})",
            f"give the role to someone at a {role.side.value} organization",
            edge=edge.key, field="role"))
    return found


def _check_dates(edge: HoldsRole) -> list[Violation]:
    """A role that ends before it starts is held on no day at all, so the required-role
    rule would silently count it as missing: most likely the two dates were swapped."""
    if edge.since is None or edge.until is None or edge.since <= edge.until:
        return []
    return [Violation(
        f"role '{edge.role}' at '{edge.target}' starts (since {edge.since.isoformat()}) "
        f"after it ends (until {edge.until.isoformat()})",
        "swap the dates or remove one", edge=edge.key, field="since")]


def check_cycles(nodes: Mapping[str, NodeBase], edges: Iterable[EdgeBase]) -> list[Violation]:
    """Reporting lines and organization parents must not loop."""
    managers: dict[str, list[tuple[str, str]]] = {}
    for e in edges:
        if e.kind is EdgeKind.REPORTS_TO and e.source != e.target:
            managers.setdefault(e.source, []).append((e.target, e.key))
    parents = {
        n.id: [(n.parent, "")] for n in nodes.values()
        if isinstance(n, Organization) and n.parent and n.parent != n.id
    }
    found = [
        Violation(f"reporting lines form a cycle: {' -> '.join(cycle)}",
                  "remove one of these reporting lines", edge=key, field="target")
        for cycle, key in _cycles(managers)
    ]
    found += [
        Violation(f"organization parents form a cycle: {' -> '.join(cycle)}",
                  "remove one of these 'parent' links", node=cycle[0], field="parent")
        for cycle, _ in _cycles(parents)
    ]
    return found


def _cycles(succ: Mapping[str, list[tuple[str, str]]]) -> list[tuple[list[str], str]]:
    """Each distinct cycle once, with the key of the link that closes it (iterative DFS)."""
    white, grey, black = 0, 1, 2
    color: dict[str, int] = {}
    found: list[tuple[list[str], str]] = []
    for start in sorted(succ):
        if color.get(start, white) != white:
            continue
        path: list[str] = [start]
        stack = [iter(succ.get(start, []))]
        color[start] = grey
        while stack:
            step = next(stack[-1], None)
            if step is None:
                color[path.pop()] = black
                stack.pop()
                continue
            nxt, key = step
            state = color.get(nxt, white)
            if state == grey:
                found.append(([*path[path.index(nxt):], nxt], key))
            elif state == white:
                color[nxt] = grey
                path.append(nxt)
                stack.append(iter(succ.get(nxt, [])))
    return found


def check_portfolio(portfolio: Portfolio) -> list[Violation]:
    """Every rule above over a whole graph, e.g. one read back from a store someone else fed."""
    nodes = {n.id: n for n in portfolio.nodes}
    catalog = portfolio.catalog()
    suggest = IdSuggester(nodes)
    found = [v for node in portfolio.nodes for v in check_node(node, nodes, suggest)]
    found += check_edges(portfolio.edges, nodes, catalog, suggest)
    found += check_cycles(nodes, portfolio.edges)
    found += [v for _, v in check_role_definitions(portfolio.roles)]
    return found


_BUILTIN_IDS = frozenset(r.id for r in BUILTIN_ROLES)


def check_role_definitions(roles: Iterable[RoleDefinition]) -> list[tuple[int, Violation]]:
    """A portfolio's own roles must not redefine built-in ones, nor one another (by index in
    the list). A role declared twice would silently keep only its last definition, side and
    phases included, so the second declaration is reported (``first_role_definition`` says
    where the first one is)."""
    found: list[tuple[int, Violation]] = []
    seen: set[str] = set()
    for i, r in enumerate(roles):
        if r.id in _BUILTIN_IDS:
            found.append((i, Violation(f"role '{r.id}' is built in and cannot be redefined",
                                       "pick another id for your own role", field="id")))
        elif r.id in seen:
            found.append((i, Violation(f"duplicate role id '{r.id}'",
                                       "declare each role once; remove or rename one",
                                       field="id")))
        seen.add(r.id)
    return found


def first_role_definition(roles: Iterable[RoleDefinition], index: int) -> int | None:
    """Where the role at ``index`` was first declared, when an earlier entry has its id."""
    listed = list(roles)
    wanted = listed[index].id
    first = next(i for i, r in enumerate(listed) if r.id == wanted)
    return first if first < index and wanted not in _BUILTIN_IDS else None
