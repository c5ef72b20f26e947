"""StakeholderGraph's verbs validate exactly as the file loader does."""

from __future__ import annotations

import pytest

import stakemap
from stakemap.errors import GraphError, NotFoundError


@pytest.fixture
def account(graph: stakemap.StakeholderGraph) -> stakemap.StakeholderGraph:
    graph.add_organization("acme", "Acme", type="provider")
    graph.add_customer("nw", "Northwind", phase="operations")
    graph.add_person("alice", "Alice", organization="acme")
    graph.add_person("chen", "Chen", organization="nw", stance="champion", influence=4)
    graph.add_person("dana", "Dana", organization="nw")
    return graph


def test_verbs_build_the_expected_graph(account: stakemap.StakeholderGraph) -> None:
    account.assign_role("alice", "account-manager", at="nw")
    account.assign_role("chen", "executive-sponsor", at="nw", phase="operations")
    account.report_to("dana", "chen", line="dotted")
    account.grant_authority("chen", "budget", over="nw")
    account.relate("chen", "alice", strength=0.8, sentiment="positive", last_contact="2026-10-01")
    account.add_service("erp", "ERP", provider="acme")
    account.consume("nw", "erp", vital=True)
    account.set_owner("erp", "alice")
    assert [p.id for p in account.holders("executive-sponsor", at="nw")] == ["chen"]
    assert [p.id for p in account.people(side="customer")] == ["chen", "dana"]
    assert [c.id for c in account.customers()] == ["nw"]
    (rel,) = account.relationships_of("chen")
    assert (rel.source, rel.target) == ("alice", "chen")
    nxg = account.to_networkx()
    assert nxg.nodes["chen"]["influence"] == 4
    assert nxg.number_of_edges() == 8
    kinds = sorted(d["kind"] for _, _, d in nxg.edges(data=True))
    assert kinds.count("holds_role") == 2


def test_unknown_role_is_refused_with_a_suggestion(account: stakemap.StakeholderGraph) -> None:
    with pytest.raises(GraphError, match="did you mean 'account-manager'"):
        account.assign_role("alice", "acount-manager", at="nw")


def test_role_on_the_wrong_side_is_refused(account: stakemap.StakeholderGraph) -> None:
    with pytest.raises(GraphError, match="customer-side role"):
        account.assign_role("alice", "executive-sponsor", at="nw")


def test_reference_to_a_missing_node_raises_not_found(account: stakemap.StakeholderGraph) -> None:
    with pytest.raises(NotFoundError):
        account.relate("chen", "ghost")
    with pytest.raises(NotFoundError):
        account.add_person("eve", "Eve", organization="nowhere")
    assert isinstance(NotFoundError("x"), LookupError)


def test_reporting_cycle_is_refused(account: stakemap.StakeholderGraph) -> None:
    account.report_to("dana", "chen")
    with pytest.raises(GraphError, match="cycle"):
        account.report_to("chen", "dana")


def test_phase_only_for_customers(graph: stakemap.StakeholderGraph) -> None:
    with pytest.raises(GraphError, match="only customers have a phase"):
        graph.add_organization("acme", "Acme", type="provider", phase="buying")


def test_portfolio_defined_roles_are_usable(store: stakemap.GraphStore) -> None:
    role = stakemap.RoleDefinition(id="data-steward", side="customer", name="Data Steward")
    graph = stakemap.StakeholderGraph(store, roles=[role])
    graph.add_customer("nw", "Northwind")
    graph.add_person("chen", "Chen", organization="nw")
    graph.assign_role("chen", "data-steward", at="nw")
    assert graph.snapshot().roles == (role,)


def test_a_node_with_an_invalid_link_is_not_written(account: stakemap.StakeholderGraph) -> None:
    with pytest.raises(GraphError, match="'alice' is a person, not an organization"):
        account.add_service("erp", "ERP", provider="alice")
    with pytest.raises(NotFoundError):
        account.add_agreement("msa", "MSA", parties=["acme", "ghost"])
    assert not account.store.has_node("erp")
    assert not account.store.has_node("msa")


def test_remove_detaches(account: stakemap.StakeholderGraph) -> None:
    account.relate("chen", "alice")
    account.remove("alice")
    assert account.relationships_of("chen") == []


# -- adding an id that exists -------------------------------------------------------------------
def test_adding_an_existing_id_is_refused_naming_its_kind(
        account: stakemap.StakeholderGraph) -> None:
    before = account.snapshot()
    with pytest.raises(GraphError, match="'nw' already exists as an organization; use another"
                       " id, or pass replace=True") as caught:
        account.add_service("nw", "Not a service")
    assert isinstance(caught.value, ValueError)
    with pytest.raises(GraphError, match="'chen' already exists as a person"):
        account.add_person("chen", "Chen again", organization="nw")
    for verb in (lambda: account.add_organization("chen", "X", type="partner"),
                 lambda: account.add_customer("alice", "X"),
                 lambda: account.add_agreement("nw", "X"),
                 lambda: account.add_meeting("dana", "X", on="2026-01-01")):
        with pytest.raises(GraphError, match="already exists"):
            verb()
    assert account.snapshot() == before  # nothing was written


def test_replace_keeps_the_kind(account: stakemap.StakeholderGraph) -> None:
    with pytest.raises(GraphError, match="'nw' is an organization, and replace=True cannot turn"
                       " it into a service; remove the node first"):
        account.add_service("nw", "ERP", replace=True)
    assert account.get("nw").kind == "organization"


def test_replace_replaces_a_node_of_the_same_kind(account: stakemap.StakeholderGraph) -> None:
    account.relate("chen", "alice")
    person = account.add_person("chen", "Chen Wei", organization="nw", title="CIO",
                                replace=True)
    assert account.get("chen") == person
    assert account.get("chen").influence is None  # replaced as a whole, as documented
    assert len(account.relationships_of("chen")) == 1  # its edges stay


def test_replace_refuses_when_an_edge_would_become_invalid(
        account: stakemap.StakeholderGraph) -> None:
    account.assign_role("chen", "executive-sponsor", at="nw")
    with pytest.raises(GraphError, match="customer-side role"):
        account.add_person("chen", "Chen", organization="acme", replace=True)  # changes side
    assert account.get("chen").organization == "nw"
    account.add_customer("group", "Group")
    account.add_customer("nw", "Northwind", parent="group", replace=True)
    with pytest.raises(GraphError, match="cycle: group -> nw -> group"):
        account.add_customer("group", "Group", parent="nw", replace=True)
    assert account.get("group").parent is None
