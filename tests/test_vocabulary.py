"""One definition of account, team and side: `show`, the gap rules and the account view
agree, on both backends."""

from __future__ import annotations

from datetime import date
from typing import Any

import yaml

import stakemap
from stakemap.analysis.account import AccountView
from stakemap.backends import GraphStore
from stakemap.files.load import parse_portfolio
from stakemap.model import Organization, OrgKind, Side

DOC: dict[str, Any] = {
    "stakemap": 1,
    "organizations": [
        {"id": "us", "name": "Us", "type": "provider"},
        {"id": "ally", "name": "Ally", "type": "partner"},
        {"id": "acme", "name": "Acme", "type": "customer", "phase": "operations"},
        {"id": "group", "name": "Group", "type": "customer"},  # consumes nothing: no account
    ],
    "people": [
        {"id": "owner", "name": "Olu", "organization": "us"},           # owns the service only
        {"id": "pal", "name": "Pat", "organization": "ally",            # a partner's person
         "roles": ["technical-lead@svc"]},
        {"id": "idle", "name": "Ida", "organization": "us"},            # nothing at acme
        {"id": "dm", "name": "Dee", "organization": "acme",
         "authority": [{"scope": "budget", "over": "acme"}]},
    ],
    "services": [{"id": "svc", "name": "Hosting", "provider": "us", "owners": ["owner"],
                  "consumers": ["acme"]}],
    "relationships": [{"between": ["owner", "dm"], "last_contact": "2026-10-01"}],
}


def _graph(store: GraphStore, doc: dict[str, Any] = DOC) -> stakemap.StakeholderGraph:
    return stakemap.StakeholderGraph.from_portfolio(
        parse_portfolio(yaml.safe_dump(doc), "team.yaml"), store)


def test_side_is_defined_once_on_the_organization() -> None:
    assert Organization(id="c", name="C", type=OrgKind.CUSTOMER).side is Side.CUSTOMER
    for kind in (OrgKind.PROVIDER, OrgKind.PARTNER):
        assert Organization(id="p", name="P", type=kind).side is Side.PROVIDER


def test_show_gaps_and_the_account_view_agree_on_the_team(store: GraphStore) -> None:
    graph = _graph(store)
    # gaps: the decision-maker knows the service's owner, who is on the team: not uncovered
    report = stakemap.find_gaps(graph, playbook="default", as_of=date(2026, 11, 1))
    assert [f.subject for f in report.findings if f.code == "uncovered-decision-maker"] == []
    # the account view draws the same team
    view = AccountView.from_store(store, "acme")
    assert sorted(p.id for p in view.team) == ["owner", "pal"]
    # and show counts it
    line = next(c for c in stakemap.summarize(graph.snapshot()).customers if c.id == "acme")
    assert line.provider_team == 2
    assert [a.id for a in store.accounts()] == ["acme"]  # a parent that consumes nothing


def test_without_the_owner_the_decision_maker_is_uncovered(store: GraphStore) -> None:
    graph = _graph(store, {**DOC, "services": [{**DOC["services"][0], "owners": []}]})
    report = stakemap.find_gaps(graph, playbook="default", as_of=date(2026, 11, 1))
    assert [f.subject for f in report.findings if f.code == "uncovered-decision-maker"] == ["dm"]
    line = next(c for c in stakemap.summarize(graph.snapshot()).customers if c.id == "acme")
    assert line.provider_team == 1
