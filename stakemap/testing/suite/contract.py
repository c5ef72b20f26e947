"""Every ``GraphStore`` method, held to the semantics in ``stakemap.backends.base``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from stakemap.backends import Capability, GraphStore
from stakemap.errors import GraphError, NotFoundError, StakemapError, StoreError
from stakemap.model import (
    Agreement,
    Assessment,
    Attended,
    Consumes,
    DecisionAuthority,
    DirectedTie,
    Edge,
    EdgeKind,
    HoldsRole,
    Meeting,
    NodeKind,
    Organization,
    OrgKind,
    Owns,
    PartyTo,
    Person,
    Phase,
    Portfolio,
    Provides,
    Relationship,
    ReportsTo,
    RoleDefinition,
    Service,
    Side,
)
from stakemap.model.enums import AuthorityScope, ReportLine
from stakemap.testing.backend import requires

__all__ = ["HOSTILE", "TestGraphVerbs", "TestLifecycle", "TestReads", "TestWrites",
           "every_kind", "write"]

HOSTILE = ["O'Brien \"Bob\"", "`tick`", "}) DETACH DELETE n //", "王芳", "שלום", "a\\b\nc",
           "<b>&amp;</b>", "$x {y}"]
"""Text that breaks naive quoting in Cypher, SQL, shells and markup, in several scripts."""


def _seed(store: GraphStore) -> None:
    store.put_nodes([
        Organization(id="acme", name="Acme", type=OrgKind.PROVIDER),
        Organization(id="nw", name="Northwind", type=OrgKind.CUSTOMER),
        Person(id="alice", name="Alice", organization="acme"),
        Person(id="chen", name="Chen", organization="nw", influence=4),
        Person(id="dana", name="Dana", organization="nw", influence=4, title="CIO"),
    ])


def every_kind() -> Portfolio:
    """A small portfolio with at least one node and one edge of every kind, every optional
    field of note set, and a portfolio-defined role."""
    sponsor = RoleDefinition(id="x-sponsor", side=Side.CUSTOMER, name="Sponsor",
                             description="Pays for it", deliverable="A budget",
                             phases=(Phase.OPERATIONS,))
    return Portfolio.build(
        name="Every kind",
        roles=[sponsor],
        nodes=[
            Organization(id="us", name="Us", type=OrgKind.PROVIDER),
            Organization(id="group", name="Group", type=OrgKind.CUSTOMER),
            Organization(id="acme", name="Acme", type=OrgKind.CUSTOMER, parent="group",
                         tier="key", phase=Phase.OPERATIONS, description="A customer"),
            Organization(id="ally", name="Ally", type=OrgKind.PARTNER),
            Person(id="ann", name="Ann", organization="us", title="Account manager",
                   email="ann@example.com"),
            Person(id="cleo", name="Cleo", organization="acme", influence=5, interest=4,
                   notes="Decides", assessments=(
                       Assessment(on=date(2026, 3, 1), by="Ann", stance="skeptic",
                                  influence=5),
                       Assessment(on=date(2026, 9, 1), stance="supporter", interest=4))),
            Person(id="otto", name="Otto", organization="acme", status="left"),
            Person(id="lena", name="Lena", organization="acme", left_on=date(2026, 6, 30)),
            Service(id="hosting", name="Hosting", description="Runs it"),
            Agreement(id="msa", name="MSA", next_review=date(2027, 1, 31),
                      starts=date(2025, 2, 1), ends=date(2028, 1, 31),
                      renewal=date(2027, 1, 31), notice_days=90),
            Meeting(id="kickoff", name="Kick-off", date=date(2026, 10, 1), outcome="Go",
                    type="qbr"),
        ],
        edges=[
            HoldsRole(source="ann", target="acme", role="account-manager",
                      since=date(2026, 1, 1)),
            HoldsRole(source="cleo", target="acme", role="x-sponsor", phase=Phase.OPERATIONS,
                      until=date(2027, 12, 31)),
            ReportsTo(source="otto", target="cleo", line=ReportLine.DOTTED),
            Owns(source="ann", target="hosting"),
            DecisionAuthority(source="cleo", target="acme", scope=AuthorityScope.BUDGET),
            Relationship(source="cleo", target="ann", strength=0.7, sentiment="positive",
                         last_contact=date(2026, 10, 2), notes="Trusts Ann"),
            Relationship(source="otto", target="ann"),  # strength not declared
            DirectedTie(source="cleo", target="otto", type="influences", strength=0.8,
                        since=date(2025, 5, 1), notes="Former manager"),
            DirectedTie(source="otto", target="cleo", type="conflicts-with"),
            Consumes(source="acme", target="hosting", vital=True),
            Provides(source="us", target="hosting"),
            PartyTo(source="acme", target="msa"),
            PartyTo(source="us", target="msa"),
            Attended(source="ann", target="kickoff"),
            Attended(source="cleo", target="kickoff"),
        ],
    )


def write(store: GraphStore, portfolio: Portfolio) -> None:
    """Write ``portfolio`` through the store's own methods (metadata, nodes, edges)."""
    store.set_metadata(name=portfolio.name, roles=portfolio.roles)
    store.put_nodes(portfolio.nodes)
    store.put_edges(portfolio.edges)


def _count_closes(store: GraphStore, monkeypatch: pytest.MonkeyPatch) -> list[None]:
    """Calls to ``store.close`` from now on (each still closes it)."""
    calls: list[None] = []
    close = store.close

    def counting() -> None:
        calls.append(None)
        close()

    monkeypatch.setattr(store, "close", counting)
    return calls


class TestWrites:
    """put_nodes and put_edges: upserts, refusals, parallel and undirected edges."""

    def test_put_nodes_counts_and_stores_what_it_was_given(self, store: GraphStore) -> None:
        nodes = list(every_kind().nodes)
        assert store.put_nodes(nodes) == len(nodes)
        assert [store.get_node(n.id) for n in nodes] == nodes
        assert store.put_nodes([]) == 0

    def test_put_edges_counts_and_stores_what_it_was_given(self, store: GraphStore) -> None:
        portfolio = every_kind()
        store.put_nodes(portfolio.nodes)
        assert store.put_edges(portfolio.edges) == len(portfolio.edges)
        assert store.edges() == list(portfolio.edges)
        assert store.put_edges([]) == 0

    def test_upserts_are_idempotent(self, store: GraphStore) -> None:
        _seed(store)
        edge = HoldsRole(source="alice", target="nw", role="account-manager")
        store.put_edges([edge])
        before = store.export()
        _seed(store)
        store.put_edges([edge])
        assert store.export() == before
        assert store.counts()[EdgeKind.HOLDS_ROLE.value] == 1

    def test_writing_a_node_again_replaces_its_properties(self, store: GraphStore) -> None:
        _seed(store)
        store.put_nodes([Person(id="chen", name="Chen Wei", organization="nw", influence=5)])
        node = store.get_node("chen")
        assert isinstance(node, Person)
        assert (node.name, node.influence) == ("Chen Wei", 5)
        store.put_nodes([Person(id="dana", name="Dana", organization="nw")])
        dana = store.get_node("dana")
        assert isinstance(dana, Person)
        assert (dana.title, dana.influence) == (None, None)  # replaced, not merged

    def test_writing_an_edge_again_replaces_its_properties(self, store: GraphStore) -> None:
        _seed(store)
        store.put_edges([ReportsTo(source="chen", target="dana")])
        store.put_edges([ReportsTo(source="chen", target="dana", line=ReportLine.DOTTED)])
        (edge,) = store.edges(EdgeKind.REPORTS_TO)
        assert isinstance(edge, ReportsTo)
        assert edge.line is ReportLine.DOTTED

    def test_writing_an_edge_again_without_a_field_unsets_it(self, store: GraphStore) -> None:
        _seed(store)
        store.put_edges([HoldsRole(source="chen", target="nw", role="system-owner",
                                   since=date(2026, 1, 1), until=date(2026, 12, 31))])
        store.put_edges([HoldsRole(source="chen", target="nw", role="system-owner",
                                   until=date(2027, 6, 30))])
        (edge,) = store.edges(EdgeKind.HOLDS_ROLE)
        assert isinstance(edge, HoldsRole)
        assert (edge.since, edge.until) == (None, date(2027, 6, 30))  # replaced, not merged

    @pytest.mark.parametrize("missing", ["target", "source"])
    def test_edge_to_a_missing_node_is_refused_and_nothing_of_the_batch_is_written(
            self, store: GraphStore, missing: str) -> None:
        _seed(store)
        good = ReportsTo(source="chen", target="dana")
        bad = ReportsTo(source="chen", target="ghost") if missing == "target" \
            else ReportsTo(source="ghost", target="dana")
        with pytest.raises(NotFoundError, match="ghost"):
            store.put_edges([good, bad])
        assert store.edges(EdgeKind.REPORTS_TO) == []
        assert not store.has_node("ghost")

    def test_parallel_edges_of_different_kinds_or_scopes_stay_apart(
            self, store: GraphStore) -> None:
        _seed(store)
        edges: list[Edge] = [
            HoldsRole(source="chen", target="nw", role="executive-sponsor"),
            HoldsRole(source="chen", target="nw", role="business-owner"),
            HoldsRole(source="chen", target="nw", role="business-owner",
                      phase=Phase.IMPLEMENTATION),
            DecisionAuthority(source="chen", target="nw", scope=AuthorityScope.BUDGET),
            DecisionAuthority(source="chen", target="nw", scope=AuthorityScope.TECHNICAL),
        ]
        store.put_edges(edges)
        assert store.edges(source="chen", target="nw") == sorted(edges, key=lambda e: e.key)
        assert len(store.edges(EdgeKind.HOLDS_ROLE, source="chen")) == 3

    def test_relationships_are_undirected(self, store: GraphStore) -> None:
        _seed(store)
        store.put_edges([Relationship(source="dana", target="alice", strength=0.2)])
        store.put_edges([Relationship(source="alice", target="dana", strength=0.9)])
        (edge,) = store.edges(EdgeKind.RELATIONSHIP)
        assert isinstance(edge, Relationship)
        assert (edge.source, edge.target, edge.strength) == ("alice", "dana", 0.9)

    def test_directed_ties_keep_their_direction_and_types_stay_apart(
            self, store: GraphStore) -> None:
        _seed(store)
        ties = [DirectedTie(source="dana", target="chen", type="influences", strength=0.8),
                DirectedTie(source="chen", target="dana", type="influences"),
                DirectedTie(source="dana", target="chen", type="conflicts-with",
                            since=date(2026, 2, 1))]
        store.put_edges(ties)
        assert store.edges(EdgeKind.DIRECTED_TIE) == sorted(ties, key=lambda e: e.key)
        assert [(e.source, e.target) for e in store.edges(EdgeKind.DIRECTED_TIE,
                                                          source="chen")] == [("chen", "dana")]
        store.put_edges([DirectedTie(source="dana", target="chen", type="influences",
                                     notes="again")])  # same type and direction: replaced
        again = store.edges(EdgeKind.DIRECTED_TIE, source="dana")
        assert len(again) == 2
        assert [(e.strength, e.notes) for e in again if isinstance(e, DirectedTie)
                and e.type == "influences"] == [(None, "again")]

    def test_assessments_round_trip_in_order_with_the_derived_ratings(
            self, store: GraphStore) -> None:
        _seed(store)
        history = (Assessment(on=date(2026, 1, 5), by=HOSTILE[0], stance="blocker",
                              influence=2),
                   Assessment(on=date(2026, 1, 5), by=HOSTILE[2], stance="skeptic"),
                   Assessment(on=date(2026, 4, 1), interest=5))
        person = Person(id="chen", name="Chen", organization="nw", assessments=history,
                        left_on=date(2026, 6, 30))
        store.put_nodes([person])
        back = store.get_node("chen")
        assert back == person
        assert isinstance(back, Person)
        assert (back.stance, back.influence, back.interest) == ("skeptic", 2, 5)
        assert [n.id for n in store.nodes(NodeKind.PERSON, stance="skeptic")] == ["chen"]
        store.put_nodes([Person(id="chen", name="Chen", organization="nw")])
        assert store.get_node("chen") == Person(id="chen", name="Chen", organization="nw")

    def test_external_ids_round_trip_and_a_write_without_them_clears_them(
            self, store: GraphStore) -> None:
        _seed(store)
        ids = {"salesforce": "0035g00000Xyz", "hubspot": HOSTILE[0][:200]}
        person = Person(id="chen", name="Chen", organization="nw", external_ids=ids)
        store.put_nodes([person])
        back = store.get_node("chen")
        assert back == person
        assert dict(back.external_ids) == ids
        store.put_nodes([Person(id="chen", name="Chen", organization="nw")])
        assert dict(store.get_node("chen").external_ids) == {}

    def test_a_relationship_without_strength_stays_without(self, store: GraphStore) -> None:
        _seed(store)
        store.put_edges([Relationship(source="chen", target="dana")])
        (edge,) = store.edges(EdgeKind.RELATIONSHIP)
        assert isinstance(edge, Relationship)
        assert edge.strength is None

    def test_a_node_that_changes_kind_is_found_under_its_new_kind_only(
            self, store: GraphStore) -> None:
        """Allowed while no link touches the node (see the next test)."""
        store.put_nodes([Organization(id="x", name="X", type=OrgKind.CUSTOMER, tier="key")])
        store.put_nodes([Service(id="x", name="X as a service")])
        assert isinstance(store.get_node("x"), Service)
        assert store.nodes(NodeKind.ORGANIZATION) == []
        assert store.nodes(NodeKind.ORGANIZATION, tier="key") == []
        assert [n.id for n in store.nodes(NodeKind.SERVICE)] == ["x"]
        counts = store.counts()
        assert (counts[NodeKind.ORGANIZATION.value], counts[NodeKind.SERVICE.value]) == (0, 1)
        assert store.export().nodes == (Service(id="x", name="X as a service"),)

    def test_a_node_with_links_keeps_its_kind_and_nothing_of_the_batch_is_written(
            self, store: GraphStore) -> None:
        """An import that writes ``dana`` as a service would leave her reporting line
        joining a service: links that were valid would no longer be."""
        _seed(store)
        store.put_edges([ReportsTo(source="chen", target="dana")])
        with pytest.raises(GraphError, match=r"node 'dana' is a person with 1 link, and this "
                           r"write would make it a service.*Remove the node first or use "
                           r"another id"):
            store.put_nodes([Organization(id="new", name="New", type=OrgKind.PARTNER),
                             Person(id="alice", name="Alice B", organization="acme"),
                             Service(id="dana", name="Dana as a service")])
        assert isinstance(store.get_node("dana"), Person)
        assert not store.has_node("new")
        assert store.get_node("alice").name == "Alice"
        assert [n.id for n in store.nodes(NodeKind.SERVICE)] == []
        store.delete_node("dana")  # the fix the message names
        store.put_nodes([Service(id="dana", name="Dana as a service")])
        assert isinstance(store.get_node("dana"), Service)

    @pytest.mark.parametrize("text", HOSTILE)
    def test_hostile_text_round_trips_verbatim(self, store: GraphStore, text: str) -> None:
        store.put_nodes([Organization(id=text, name=text, type=OrgKind.CUSTOMER, tier=text,
                                      description=text)])
        store.put_nodes([Person(id=f"p-{text}", name=text, organization=text, title=text,
                                notes=text, email=text)])
        store.put_edges([HoldsRole(source=f"p-{text}", target=text, role="executive-sponsor",
                                   since=date(2026, 1, 2))])
        role = RoleDefinition(id="x-role", side=Side.CUSTOMER, name=text, description=text,
                              deliverable=text)
        store.set_metadata(name=text, roles=[role])
        node = store.get_node(text)
        assert (node.name, node.id) == (text, text)
        person = store.get_node(f"p-{text}")
        assert isinstance(person, Person)
        assert (person.title, person.notes, person.email) == (text, text, text)
        (edge,) = store.edges(EdgeKind.HOLDS_ROLE, target=text)
        assert isinstance(edge, HoldsRole)
        assert edge.since == date(2026, 1, 2)
        assert [n.id for n in store.nodes(NodeKind.PERSON, title=text)] == [f"p-{text}"]
        assert store.names([text]) == {text: text}
        assert store.metadata() == (text, (role,))
        assert store.counts()[NodeKind.PERSON.value] == 1  # nothing injected, nothing lost


class TestReads:
    """get_node, has_node, nodes, edges and names: lookups, filters, order."""

    def test_get_node_of_a_missing_id_raises_not_found(self, store: GraphStore) -> None:
        _seed(store)
        with pytest.raises(NotFoundError, match="ghost"):
            store.get_node("ghost")
        with pytest.raises(LookupError):  # NotFoundError is a LookupError too
            store.get_node("ghost")

    def test_has_node(self, store: GraphStore) -> None:
        _seed(store)
        assert store.has_node("dana")
        assert not store.has_node("ghost")
        assert not store.has_node("Dana")  # ids are case-sensitive

    def test_nodes_filter_by_kind(self, store: GraphStore) -> None:
        portfolio = every_kind()
        store.put_nodes(portfolio.nodes)
        for kind in NodeKind:
            assert store.nodes(kind) == [n for n in portfolio.nodes if n.kind is kind], kind
        assert store.nodes() == list(portfolio.nodes)

    def test_filters_are_conjunctive(self, store: GraphStore) -> None:
        _seed(store)
        found = store.nodes(NodeKind.PERSON, organization="nw", influence=4, title="CIO")
        assert [n.id for n in found] == ["dana"]
        assert [n.id for n in store.nodes(NodeKind.PERSON, organization="nw", influence=4)] \
            == ["chen", "dana"]
        assert store.nodes(NodeKind.PERSON, organization="acme", influence=4) == []
        assert [n.id for n in store.nodes(organization="nw", influence=4)] == ["chen", "dana"]
        assert [n.id for n in store.nodes(type=OrgKind.CUSTOMER)] == ["nw"]

    def test_a_filter_on_a_field_a_kind_lacks_matches_none_of_that_kind(
            self, store: GraphStore) -> None:
        _seed(store)
        assert store.nodes(NodeKind.ORGANIZATION, title="CIO") == []
        assert [n.id for n in store.nodes(title="CIO")] == ["dana"]
        assert store.nodes(no_such_field=1) == []
        hostile: dict[str, Any] = {"}) DETACH DELETE n //": 1}
        assert store.nodes(**hostile) == []
        assert len(store.nodes()) == 5

    def test_a_none_filter_matches_nodes_without_the_value(self, store: GraphStore) -> None:
        _seed(store)
        assert [n.id for n in store.nodes(NodeKind.PERSON, title=None)] == ["alice", "chen"]
        assert [n.id for n in store.nodes(title=None)] == ["alice", "chen"]

    def test_nodes_come_back_sorted_by_id(self, store: GraphStore) -> None:
        _seed(store)
        assert [n.id for n in store.nodes()] == ["acme", "alice", "chen", "dana", "nw"]
        assert [n.id for n in store.nodes(NodeKind.PERSON)] == ["alice", "chen", "dana"]

    def test_edges_filter_by_kind_source_and_target(self, store: GraphStore) -> None:
        _seed(store)
        store.put_edges([ReportsTo(source="chen", target="dana"),
                         HoldsRole(source="chen", target="nw", role="system-owner"),
                         HoldsRole(source="dana", target="nw", role="executive-sponsor"),
                         Relationship(source="alice", target="dana")])
        assert [e.kind for e in store.edges(EdgeKind.REPORTS_TO, source="chen")] == [
            EdgeKind.REPORTS_TO]
        assert store.edges(EdgeKind.REPORTS_TO, source="chen", target="nw") == []
        assert {(e.source, e.kind) for e in store.edges(target="nw")} == {
            ("chen", EdgeKind.HOLDS_ROLE), ("dana", EdgeKind.HOLDS_ROLE)}
        assert {e.kind for e in store.edges(source="chen")} == {EdgeKind.REPORTS_TO,
                                                                EdgeKind.HOLDS_ROLE}
        keys = [e.key for e in store.edges(EdgeKind.HOLDS_ROLE, target="nw")]
        assert (len(keys), keys) == (2, sorted(keys))
        assert [e.target for e in store.edges(EdgeKind.RELATIONSHIP, source="alice")] == [
            "dana"]
        assert store.edges(source="ghost") == []
        assert store.edges(target="ghost") == []
        assert len(store.edges()) == 4

    def test_edges_come_back_sorted_by_key(self, store: GraphStore) -> None:
        _seed(store)
        store.put_edges([Relationship(source="dana", target="alice"),
                         Relationship(source="chen", target="alice"),
                         ReportsTo(source="chen", target="dana"),
                         HoldsRole(source="alice", target="nw", role="account-manager")])
        keys = [e.key for e in store.edges()]
        assert keys == sorted(keys)
        assert len(keys) == 4

    def test_names_of_known_ids_and_unknown_ones_left_out(self, store: GraphStore) -> None:
        _seed(store)
        assert store.names(["nw", "ghost", "dana"]) == {"nw": "Northwind", "dana": "Dana"}
        assert store.names([]) == {}


class TestLifecycle:
    """Deleting, metadata, export, counts, clearing, closing, and (where declared)
    persistence."""

    def test_deleting_a_node_detaches_it(self, store: GraphStore) -> None:
        _seed(store)
        store.put_edges([ReportsTo(source="chen", target="dana"),
                         Relationship(source="alice", target="dana"),
                         Relationship(source="alice", target="chen")])
        store.delete_node("dana")
        assert not store.has_node("dana")
        assert [(e.source, e.target) for e in store.edges()] == [("alice", "chen")]
        assert store.counts()[EdgeKind.REPORTS_TO.value] == 0
        with pytest.raises(NotFoundError):
            store.get_node("dana")

    def test_deleting_a_missing_node_raises_not_found(self, store: GraphStore) -> None:
        _seed(store)
        with pytest.raises(NotFoundError, match="ghost"):
            store.delete_node("ghost")
        assert len(store.nodes()) == 5

    def test_metadata_round_trips_with_custom_roles(self, store: GraphStore) -> None:
        assert store.metadata() == (None, ())
        roles = [RoleDefinition(id="z-role", side=Side.PROVIDER, name="Zed"),
                 RoleDefinition(id="a-role", side=Side.CUSTOMER, name="Ay", description="d",
                                deliverable="x", phases=(Phase.BUYING, Phase.OPERATIONS))]
        store.set_metadata(name="Portfolio", roles=roles)
        assert store.metadata() == ("Portfolio", (roles[1], roles[0]))  # sorted by id
        store.set_metadata(name=None, roles=[])
        assert store.metadata() == (None, ())

    def test_export_equals_what_was_written(self, store: GraphStore) -> None:
        portfolio = every_kind()
        write(store, portfolio)
        assert store.export() == portfolio

    def test_export_refuses_an_edge_no_portfolio_file_can_hold(self, store: GraphStore) -> None:
        """``put_edges`` checks only that endpoints exist; an edge between nodes of kinds it
        may not join has no place in a file, so export names it instead of leaving it out."""
        _seed(store)
        store.put_edges([Owns(source="chen", target="nw"),
                         ReportsTo(source="chen", target="dana")])
        with pytest.raises(StoreError, match=r"owns 'chen' -> 'nw' joins person -> "
                           r"organization, but owns links join person -> service") as caught:
            store.export()
        assert isinstance(caught.value, StakemapError)
        assert "reports_to" not in str(caught.value)  # only the edge that cannot be written

    def test_counts_every_node_and_edge_kind(self, store: GraphStore) -> None:
        every = {k.value for k in NodeKind} | {k.value for k in EdgeKind}
        assert store.counts() == dict.fromkeys(every, 0)
        portfolio = every_kind()
        write(store, portfolio)
        expected = dict.fromkeys(every, 0)
        for item in (*portfolio.nodes, *portfolio.edges):
            expected[item.kind.value] += 1
        assert store.counts() == expected
        assert all(expected.values())  # every kind was written, so every count was tested

    def test_clear_empties_the_store(self, store: GraphStore) -> None:
        write(store, every_kind())
        store.clear()
        assert (store.nodes(), store.edges(), store.metadata()) == ([], [], (None, ()))
        assert not any(store.counts().values())
        _seed(store)
        assert store.counts()[NodeKind.PERSON.value] == 3

    def test_close_is_idempotent_and_with_closes(
            self, open_same_store: Callable[[], GraphStore],
            monkeypatch: pytest.MonkeyPatch) -> None:
        other = open_same_store()
        closes = _count_closes(other, monkeypatch)
        with other as entered:
            assert entered is other
        assert len(closes) == 1
        other.close()  # a second close does nothing, and does not raise
        failing = open_same_store()
        closes = _count_closes(failing, monkeypatch)
        with pytest.raises(RuntimeError, match="inside"), failing:
            raise RuntimeError("inside the block")
        assert len(closes) == 1

    def test_capabilities_are_declared_as_capability_members(self, store: GraphStore) -> None:
        assert isinstance(store.capabilities, frozenset)
        assert all(isinstance(c, Capability) for c in store.capabilities)

    @requires(Capability.PERSISTENT)
    def test_data_survives_closing_and_opening_again(
            self, open_same_store: Callable[[], GraphStore]) -> None:
        portfolio = every_kind()
        with open_same_store() as first:
            write(first, portfolio)
        with open_same_store() as second:
            assert second.export() == portfolio
            assert second.metadata() == (portfolio.name, portfolio.roles)


class TestGraphVerbs:
    """``StakeholderGraph``'s updating verbs on the store: they work through the store
    contract, so every backend keeps what they promise (links kept, nothing half-written)."""

    @staticmethod
    def _graph(store: GraphStore) -> Any:
        from stakemap.graph import StakeholderGraph

        graph = StakeholderGraph(store)
        graph.add_organization("us", "Us", type="provider")
        graph.add_customer("nw", "Northwind")
        graph.add_person("ann", "Ann", organization="us")
        graph.add_person("chen", "Chen", organization="nw", title="CIO", stance="neutral")
        graph.assign_role("ann", "account-manager", at="nw")
        graph.assign_role("chen", "executive-sponsor", at="nw", since=date(2025, 1, 1))
        graph.relate("ann", "chen", strength=0.6)
        return graph

    def test_update_person_changes_fields_and_keeps_every_link(self, store: GraphStore
                                                               ) -> None:
        graph = self._graph(store)
        before = {e.key for e in store.edges()}
        person = graph.update_person("chen", title="CTO", influence=5)
        assert (person.title, person.influence, person.stance) == ("CTO", 5, "neutral")
        assert store.get_node("chen") == person
        assert {e.key for e in store.edges()} == before

    def test_update_person_refuses_what_a_file_would_refuse(self, store: GraphStore) -> None:
        graph = self._graph(store)
        before = store.export()
        with pytest.raises(GraphError, match=r"update_person: unknown field 'titel'; did "
                                             r"you mean 'title'\?"):
            graph.update_person("chen", titel="CTO")
        with pytest.raises(GraphError, match=r"update_person: influence is 9; use a whole "
                                             r"number from 1 to 5"):
            graph.update_person("chen", influence=9)
        with pytest.raises(GraphError, match=r"'ann' is a person, not an organization"):
            graph.update_person("chen", organization="ann")
        with pytest.raises(GraphError, match=r"update_person: 'executive-sponsor' is a "
                                             r"customer-side role, but 'chen' is on the "
                                             r"provider side"):
            graph.update_person("chen", organization="us")
        with pytest.raises(GraphError, match=r"update_person: person 'chen' is 'status: "
                                             r"active' but left on 2026-03-01"):
            graph.update_person("chen", status="active", left_on=date(2026, 3, 1))
        with pytest.raises(GraphError, match=r"update_person: a person's id cannot change"):
            graph.update_person("chen", id="chen-2")
        with pytest.raises(NotFoundError, match=r"update_person: no person 'chn'; did you "
                                                r"mean 'chen'\?"):
            graph.update_person("chn", title="CTO")
        with pytest.raises(GraphError, match=r"update_person: 'nw' is an organization, not "
                                             r"a person"):
            graph.update_person("nw", title="X")
        assert store.export() == before  # nothing half-written

    def test_mark_left_keeps_the_roles(self, store: GraphStore) -> None:
        graph = self._graph(store)
        person = graph.mark_left("chen", on=date(2026, 3, 1))
        assert (person.status, person.left_on) == ("left", date(2026, 3, 1))
        assert person.active_on(date(2026, 2, 28))
        assert not person.active_on(date(2026, 3, 1))
        assert [e.role for e in graph.roles_of("chen")] == ["executive-sponsor"]
        assert store.get_node("chen") == person

    def test_end_role_sets_until_and_refuses_a_role_not_held(self, store: GraphStore) -> None:
        graph = self._graph(store)
        (ended,) = graph.end_role("chen", "executive-sponsor", at="nw", on=date(2026, 5, 1))
        assert (ended.since, ended.until) == (date(2025, 1, 1), date(2026, 5, 1))
        assert graph.roles_of("chen") == [ended]
        with pytest.raises(NotFoundError, match=r"end_role: 'chen' holds no role "
                                                r"'business-owner' at 'nw'; roles held "
                                                r"there: executive-sponsor"):
            graph.end_role("chen", "business-owner", at="nw", on=date(2026, 5, 1))
        with pytest.raises(GraphError, match=r"starts \(since 2025-01-01\) after it ends"):
            graph.end_role("chen", "executive-sponsor", at="nw", on=date(2024, 1, 1))
        assert graph.roles_of("chen") == [ended]

    def test_assessments_make_the_latest_ratings_current(self, store: GraphStore) -> None:
        graph = self._graph(store)
        graph.add_assessment("chen", on=date(2026, 2, 1), by="Ann", stance="skeptic",
                             influence=4)
        person = graph.add_assessment("chen", on=date(2026, 1, 1), stance="champion",
                                      interest=2)  # older: history only, for the stance
        assert (person.stance, person.influence, person.interest) == ("skeptic", 4, 2)
        assert [a.on for a in person.assessments] == [date(2026, 1, 1), date(2026, 2, 1)]
        assert store.get_node("chen") == person
        with pytest.raises(GraphError, match=r"stance is 'neutral', but the latest "
                                             r"assessment of it \(2026-02-01 by Ann\) says "
                                             r"'skeptic'"):
            graph.update_person("chen", stance="neutral")
        with pytest.raises(GraphError, match=r"add_assessment: an assessment sets at least "
                                             r"one of"):
            graph.add_assessment("chen", on=date(2026, 3, 1))
        assert store.get_node("chen") == person

    def test_add_directed_tie_keeps_direction(self, store: GraphStore) -> None:
        graph = self._graph(store)
        tie = graph.add_directed_tie("chen", "ann", type="influences", strength=0.4)
        assert store.edges(EdgeKind.DIRECTED_TIE) == [tie]
        assert (tie.source, tie.target) == ("chen", "ann")
        with pytest.raises(GraphError, match=r"directed tie joins 'ann' to themselves"):
            graph.add_directed_tie("ann", "ann", type="influences")
        with pytest.raises(GraphError, match=r"add_directed_tie: type 'likes' is not one "
                                             r"of: influences, reports-informally-to, "
                                             r"conflicts-with"):
            graph.add_directed_tie("ann", "chen", type="likes")
        with pytest.raises(GraphError, match=r"'nw' is an organization, not a person"):
            graph.add_directed_tie("ann", "nw", type="influences")
        assert store.edges(EdgeKind.DIRECTED_TIE) == [tie]

    def test_a_person_linked_to_themselves_is_refused(self, store: GraphStore) -> None:
        """Checked by id, not by object: a store may hand back a new object per read."""
        graph = self._graph(store)
        with pytest.raises(GraphError, match=r"relationship joins 'ann' to themselves"):
            graph.relate("ann", "ann")
        with pytest.raises(GraphError, match=r"reports to joins 'ann' to themselves"):
            graph.report_to("ann", "ann")
        assert store.edges(source="ann", target="ann") == []
