"""The GraphStore contract (see stakemap.backends.base), run against every backend."""

from __future__ import annotations

from datetime import date

import pytest

from stakemap.backends import GraphStore
from stakemap.errors import NotFoundError
from stakemap.model import (
    DecisionAuthority,
    EdgeKind,
    HoldsRole,
    NodeKind,
    Organization,
    OrgKind,
    Person,
    Relationship,
    ReportsTo,
)

HOSTILE = ["O'Brien \"Bob\"", "`tick`", "}) DETACH DELETE n //", "王芳", "שלום", "a\\b\nc",
           "<b>&amp;</b>"]


def _seed(store: GraphStore) -> None:
    store.put_nodes([
        Organization(id="acme", name="Acme", type=OrgKind.PROVIDER),
        Organization(id="nw", name="Northwind", type=OrgKind.CUSTOMER),
        Person(id="alice", name="Alice", organization="acme"),
        Person(id="chen", name="Chen", organization="nw", influence=4),
        Person(id="dana", name="Dana", organization="nw", influence=4, title="CIO"),
    ])


def test_upserts_are_idempotent(store: GraphStore) -> None:
    _seed(store)
    edge = HoldsRole(source="alice", target="nw", role="account-manager")
    store.put_edges([edge])
    before = store.export()
    _seed(store)
    store.put_edges([edge])
    assert store.export() == before


def test_writing_a_node_again_replaces_its_properties(store: GraphStore) -> None:
    _seed(store)
    store.put_nodes([Person(id="chen", name="Chen Wei", organization="nw", influence=5)])
    node = store.get_node("chen")
    assert isinstance(node, Person)
    assert (node.name, node.influence) == ("Chen Wei", 5)


def test_edge_to_a_missing_node_is_refused_and_nothing_of_the_batch_is_written(
        store: GraphStore) -> None:
    _seed(store)
    good = ReportsTo(source="chen", target="dana")
    bad = ReportsTo(source="chen", target="ghost")
    with pytest.raises(NotFoundError, match="ghost"):
        store.put_edges([good, bad])
    assert store.edges(EdgeKind.REPORTS_TO) == []


def test_parallel_edges_of_different_kinds_or_scopes_stay_apart(store: GraphStore) -> None:
    _seed(store)
    edges = [
        HoldsRole(source="chen", target="nw", role="executive-sponsor"),
        HoldsRole(source="chen", target="nw", role="business-owner"),
        DecisionAuthority(source="chen", target="nw", scope="budget"),
        DecisionAuthority(source="chen", target="nw", scope="technical"),
    ]
    store.put_edges(edges)
    assert len(store.edges(source="chen", target="nw")) == 4
    assert len(store.edges(EdgeKind.HOLDS_ROLE, source="chen")) == 2


def test_filters_are_conjunctive(store: GraphStore) -> None:
    _seed(store)
    found = store.nodes(NodeKind.PERSON, organization="nw", influence=4, title="CIO")
    assert [n.id for n in found] == ["dana"]
    assert store.nodes(NodeKind.PERSON, organization="acme", influence=4) == []
    store.put_edges([ReportsTo(source="chen", target="dana"),
                     HoldsRole(source="chen", target="nw", role="system-owner")])
    assert [e.kind for e in store.edges(EdgeKind.REPORTS_TO, source="chen")] == [
        EdgeKind.REPORTS_TO]
    assert store.edges(EdgeKind.REPORTS_TO, source="chen", target="nw") == []


def test_results_are_ordered(store: GraphStore) -> None:
    _seed(store)
    assert [n.id for n in store.nodes()] == ["acme", "alice", "chen", "dana", "nw"]
    store.put_edges([Relationship(source="dana", target="alice"),
                     Relationship(source="chen", target="alice")])
    keys = [e.key for e in store.edges()]
    assert keys == sorted(keys)


def test_deleting_a_node_detaches_it(store: GraphStore) -> None:
    _seed(store)
    store.put_edges([ReportsTo(source="chen", target="dana"),
                     Relationship(source="alice", target="dana")])
    store.delete_node("dana")
    assert not store.has_node("dana")
    assert store.edges() == []
    with pytest.raises(NotFoundError):
        store.get_node("dana")


def test_relationships_are_undirected(store: GraphStore) -> None:
    _seed(store)
    store.put_edges([Relationship(source="dana", target="alice", strength=0.2)])
    store.put_edges([Relationship(source="alice", target="dana", strength=0.9)])
    (edge,) = store.edges(EdgeKind.RELATIONSHIP)
    assert isinstance(edge, Relationship)
    assert (edge.source, edge.target, edge.strength) == ("alice", "dana", 0.9)


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_round_trips_verbatim(store: GraphStore, text: str) -> None:
    store.put_nodes([Organization(id=text, name=text, type=OrgKind.CUSTOMER, tier=text,
                                  description=text)])
    store.put_nodes([Person(id=f"p-{text}", name=text, organization=text, title=text,
                            notes=text, email=text)])
    store.put_edges([HoldsRole(source=f"p-{text}", target=text, role="executive-sponsor",
                               since=date(2026, 1, 2))])
    node = store.get_node(text)
    assert (node.name, node.id) == (text, text)
    person = store.get_node(f"p-{text}")
    assert isinstance(person, Person)
    assert (person.title, person.notes, person.email) == (text, text, text)
    (edge,) = store.edges(EdgeKind.HOLDS_ROLE, target=text)
    assert isinstance(edge, HoldsRole)
    assert edge.since == date(2026, 1, 2)


def test_export_equals_what_was_written(store: GraphStore) -> None:
    _seed(store)
    store.set_metadata(name="Test", roles=[])
    store.put_edges([ReportsTo(source="chen", target="dana", line="dotted")])
    exported = store.export()
    assert exported.name == "Test"
    assert [n.id for n in exported.nodes] == ["acme", "alice", "chen", "dana", "nw"]
    (edge,) = exported.edges
    assert isinstance(edge, ReportsTo)
    assert edge.line.value == "dotted"
    assert store.counts()["person"] == 3


def test_clear_empties_the_store(store: GraphStore) -> None:
    _seed(store)
    store.set_metadata(name="Test", roles=[])
    store.put_edges([ReportsTo(source="chen", target="dana")])
    store.clear()
    assert (store.nodes(), store.edges(), store.metadata()) == ([], [], (None, ()))
    _seed(store)
    assert store.counts()["person"] == 3
