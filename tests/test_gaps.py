"""Gap rules on both backends: each rule type flags its case and leaves its near miss alone;
the examples give exactly their planted gaps. (That every store reports what memory reports
is stakemap.testing's parity suite, run by tests/contract.)"""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
import yaml

import stakemap
import stakemap.rules
from stakemap.analysis.gaps import GapReport, find_gaps
from stakemap.analysis.playbook import load_playbook
from stakemap.backends import GraphStore
from stakemap.files.load import parse_portfolio, read_portfolio
from tests.conftest import ROOT

AS_OF = date(2026, 11, 1)
RULES = ROOT / "tests" / "data" / "playbooks" / "every-rule.yaml"

# A healthy account: every rule in every-rule.yaml finds nothing here.
BASE: dict[str, Any] = {
    "stakemap": 1,
    "organizations": [
        {"id": "us", "name": "Us", "type": "provider"},
        {"id": "acme", "name": "Acme", "type": "customer", "phase": "operations"},
        {"id": "beta", "name": "Beta", "type": "customer", "phase": "operations"},
    ],
    "people": [
        {"id": "am", "name": "Ann", "organization": "us",
         "roles": ["account-manager@acme"]},
        {"id": "tl", "name": "Tim", "organization": "us", "roles": ["technical-lead@acme"]},
        {"id": "bm", "name": "Bea", "organization": "us", "roles": ["account-manager@beta"]},
        {"id": "ceo", "name": "Cleo", "organization": "acme", "stance": "champion",
         "influence": 5, "roles": ["executive-sponsor@acme"],
         "authority": [{"scope": "budget", "over": "acme"}]},
        {"id": "ops", "name": "Otto", "organization": "acme", "stance": "supporter",
         "influence": 3, "reports_to": "ceo",
         "authority": [{"scope": "technical", "over": "svc"}]},
        {"id": "bx", "name": "Bo", "organization": "beta", "stance": "champion",
         "influence": 5, "roles": ["executive-sponsor@beta"],
         "authority": [{"scope": "budget", "over": "beta"}]},
        {"id": "by", "name": "By", "organization": "beta", "influence": 2},
    ],
    "services": [
        {"id": "svc", "name": "Hosting", "provider": "us", "owners": ["tl"],
         "consumers": [{"customer": "acme", "vital": True}]},
        {"id": "bsvc", "name": "Backup", "provider": "us", "owners": ["bm"],
         "consumers": ["beta"]},
    ],
    "agreements": [
        {"id": "msa", "name": "Acme MSA", "next_review": AS_OF, "parties": ["us", "acme"]},
    ],
    "meetings": [
        {"id": "acme-review", "name": "Service review", "date": AS_OF - timedelta(days=30),
         "attendees": ["tl", "ops"]},
        {"id": "beta-review", "name": "Service review", "date": AS_OF - timedelta(days=60),
         "attendees": ["bm", "by"]},
    ],
    "relationships": [
        {"between": ["am", "ceo"], "last_contact": AS_OF - timedelta(days=10)},
        {"between": ["tl", "ops"], "last_contact": AS_OF - timedelta(days=90)},
        {"between": ["bm", "bx"], "last_contact": AS_OF - timedelta(days=5)},
        {"between": ["bm", "by"], "last_contact": AS_OF - timedelta(days=5)},
        {"between": ["am", "by"], "last_contact": AS_OF - timedelta(days=5)},
    ],
}

Change = Callable[[dict[str, Any]], None]


def _person(doc: dict[str, Any], pid: str) -> dict[str, Any]:
    found: dict[str, Any] = next(p for p in doc["people"] if p["id"] == pid)
    return found


def _set(pid: str, **fields: Any) -> Change:
    return lambda doc: _person(doc, pid).update(fields)


def _drop_relationship(a: str, b: str) -> Change:
    def change(doc: dict[str, Any]) -> None:
        doc["relationships"] = [r for r in doc["relationships"] if set(r["between"]) != {a, b}]
    return change


def _add_relationship(a: str, b: str, days: int = 5) -> Change:
    return lambda doc: doc["relationships"].append(
        {"between": [a, b], "last_contact": AS_OF - timedelta(days=days)})


def _both(*changes: Change) -> Change:
    def change(doc: dict[str, Any]) -> None:
        for c in changes:
            c(doc)
    return change


def _set_in(section: str, item_id: str, **fields: Any) -> Change:
    return lambda doc: next(x for x in doc[section] if x["id"] == item_id).update(fields)


def _add_person(**fields: Any) -> Change:
    return lambda doc: doc["people"].append(fields)


# (rule id, change that must be flagged, expected (subject, customer), near miss)
CASES: list[tuple[str, Change, tuple[str, str | None], Change]] = [
    ("executive-sponsor-missing", _set("ceo", status="left"), ("acme", "acme"),
     _add_person(id="old", name="Old", organization="acme", status="left",
                 roles=["executive-sponsor@acme"])),
    # a role that ended the day before as-of leaves the seat empty; one ending on it does not
    ("executive-sponsor-missing",
     _set("ceo", roles=[{"role": "executive-sponsor", "scope": "acme",
                         "until": AS_OF - timedelta(days=1)}]), ("acme", "acme"),
     _set("ceo", roles=[{"role": "executive-sponsor", "scope": "acme", "until": AS_OF,
                         "since": AS_OF}])),
    ("executive-sponsor-missing",
     _set("ceo", roles=[{"role": "executive-sponsor", "scope": "acme",
                         "since": AS_OF + timedelta(days=1)}]), ("acme", "acme"),
     _set("ceo", roles=[{"role": "executive-sponsor", "scope": "acme",
                         "since": AS_OF - timedelta(days=400)}])),
    ("unowned-service", _set("tl", status="left"), ("svc", "acme"),
     _set_in("services", "svc", owners=["tl", "am"])),
    ("vital-single-point", _set("ops", authority=[]), ("svc", "acme"),
     _set_in("services", "bsvc", owners=["bm"])),
    ("budget-authority-missing", _set("ceo", authority=[]), ("acme", "acme"),
     _set("ceo", authority=[{"scope": "budget", "over": "msa"}])),
    ("conflicting-authority", _set("ops", authority=[{"scope": "budget", "over": "acme"},
                                                     {"scope": "technical", "over": "svc"}]),
     ("acme", "acme"),
     _set("ops", authority=[{"scope": "technical", "over": "acme"},
                            {"scope": "technical", "over": "svc"}])),
    ("uncovered-decision-maker", _drop_relationship("am", "ceo"), ("ceo", "acme"),
     _both(_drop_relationship("am", "ceo"), _add_relationship("tl", "ceo"))),
    ("blocker-without-champion", _set("ops", stance="blocker", influence=4), ("ops", "acme"),
     _set("ops", stance="blocker", influence=3)),
    ("single-threaded", _both(_drop_relationship("tl", "ops"), _add_relationship("am", "ops")),
     ("acme", "acme"), _both(_drop_relationship("tl", "ops"), _add_relationship("tl", "ceo"),
                             _add_relationship("am", "ops"))),
    ("stale-relationship", _both(_drop_relationship("tl", "ops"),
                                 _add_relationship("tl", "ops", days=91)), ("ops", "acme"),
     _both(_drop_relationship("tl", "ops"), _add_relationship("tl", "ops", days=90))),
    ("stale-contact", _both(_drop_relationship("am", "ceo"), _add_relationship("tl", "ceo", 91)),
     ("ceo", "acme"),
     _both(_drop_relationship("am", "ceo"), _add_relationship("tl", "ceo", 91),
           lambda doc: doc.setdefault("meetings", []).append(
               {"id": "m1", "name": "Review", "date": AS_OF - timedelta(days=3),
                "attendees": ["ceo", "am"]}))),
    ("agreement-review-overdue",
     _set_in("agreements", "msa", next_review=AS_OF - timedelta(days=1)), ("msa", "acme"),
     _set_in("agreements", "msa", next_review=AS_OF)),
    ("left-but-holds-role", _set("tl", status="left"), ("tl", None),
     _add_person(id="gone", name="Gone", organization="acme", status="left")),
    ("no-meeting-in-days", _set_in("meetings", "acme-review", date=AS_OF - timedelta(days=91)),
     ("acme", "acme"), _set_in("meetings", "acme-review", date=AS_OF - timedelta(days=90))),
    # a meeting of their people alone, or one that has not happened yet, is no meeting of both
    ("no-meeting-in-days", _set_in("meetings", "acme-review", attendees=["ops", "ceo"]),
     ("acme", "acme"), _set_in("meetings", "acme-review", attendees=["ops", "ceo", "am"])),
    ("no-meeting-in-days", _set_in("meetings", "acme-review", date=AS_OF + timedelta(days=1)),
     ("acme", "acme"), _set_in("meetings", "acme-review", date=AS_OF)),
    ("overloaded-person", _set("am", roles=["account-manager@acme", "account-manager@beta"]),
     ("am", None),
     _set("am", roles=["account-manager@acme", "business-relationship-manager@acme"])),
]


def _report(doc: dict[str, Any], store: GraphStore, **options: Any) -> GapReport:
    portfolio = parse_portfolio(yaml.safe_dump(doc, allow_unicode=True), "case.yaml")
    store.clear()
    graph = stakemap.StakeholderGraph.from_portfolio(portfolio, store)
    return find_gaps(graph, playbook=str(RULES), as_of=AS_OF, **options)


def _hits(report: GapReport, code: str) -> set[tuple[str, str | None]]:
    return {(f.subject, f.customer) for f in report.findings if f.code == code}


def test_the_base_case_is_healthy(store: GraphStore) -> None:
    report = _report(BASE, store)
    assert report.findings == ()
    assert [s.score for s in report.scores] == [100, 100]


def test_every_rule_type_has_a_case() -> None:
    book = load_playbook(RULES)
    covered = {r.type for r in book.rules
               if r.id in {c[0] for c in CASES}}
    assert covered == set(stakemap.rules.RULE_TYPES)


@pytest.mark.parametrize(("code", "change", "expected", "near_miss"), CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_rule_flags_its_case_and_not_the_near_miss(
        store: GraphStore, code: str, change: Change, expected: tuple[str, str | None],
        near_miss: Change) -> None:
    flagged = copy.deepcopy(BASE)
    change(flagged)
    report = _report(flagged, store)
    assert expected in _hits(report, code)
    for f in report.findings:  # each worded by its rule type, and drawable
        if f.code == code:
            assert f.message
            assert f.remediation
            assert f.rule_class.tag(f.detail)
            assert isinstance(f.detail, f.rule_class.Detail)
            assert f.as_json()["detail"] == f.detail.model_dump(mode="json")
    spared = copy.deepcopy(BASE)
    near_miss(spared)
    assert _hits(_report(spared, store), code) == set()


def test_selector_limits_a_rule_to_matching_accounts(store: GraphStore) -> None:
    doc = copy.deepcopy(BASE)
    _set("ceo", status="left")(doc)
    _set("bx", status="left")(doc)
    report = _report(doc, store, customers=["beta"])
    assert _hits(report, "executive-sponsor-missing") == {("beta", "beta")}
    assert [s.customer for s in report.scores] == ["beta"]


def test_only_and_ignore_filter_codes(store: GraphStore) -> None:
    doc = copy.deepcopy(BASE)
    _set("tl", status="left")(doc)
    codes = {f.code for f in _report(doc, store).findings}
    assert {"unowned-service", "left-but-holds-role"} <= codes
    only = {f.code for f in _report(doc, store, only=["unowned-service"]).findings}
    assert only == {"unowned-service"}
    ignored = {f.code for f in _report(doc, store, ignore=["unowned-service"]).findings}
    assert "unowned-service" not in ignored
    assert "left-but-holds-role" in ignored


# -- the examples: exactly the planted gaps ----------------------------------------------------
PLANTED = {
    "msp-operations": ("msp-account-team", {
        ("executive-sponsor-missing", "northwind"), ("unowned-service", "nw-backup"),
        ("uncovered-decision-maker", "li-na"), ("stale-relationship", "omar-haddad")}),
    "vendor-implementation": ("account-trio", {
        ("system-administrator-missing", "helix"), ("single-threaded", "helix"),
        ("blocker-without-champion", "chen-jing"), ("left-but-holds-role", "liu-yang")}),
    "it-customer-teams": ("it-customer-team", {
        ("agreement-review-overdue", "agr-finance"),
        ("authorized-representative-missing", "bu-logistics"),
        ("vital-single-point", "wms"), ("conflicting-authority", "agr-retail")}),
}


@pytest.mark.parametrize("example", sorted(PLANTED))
def test_examples_give_exactly_their_planted_gaps(example: str, store: GraphStore) -> None:
    playbook, planted = PLANTED[example]
    graph = stakemap.StakeholderGraph.from_portfolio(
        read_portfolio(ROOT / "examples" / f"{example}.yaml"), store)
    report = find_gaps(graph, playbook=playbook, as_of=AS_OF)
    assert {(f.code, f.subject) for f in report.findings} == planted


def test_example_scores_are_explained() -> None:
    graph = stakemap.load_portfolio(ROOT / "examples" / "msp-operations.yaml")
    report = find_gaps(graph, playbook="msp-account-team", as_of=AS_OF)
    (score,) = report.scores
    assert score.score == 100 - 3 * 15 - 7
    assert score.penalties["high"] == 45
    assert report.as_json()["scores"]["northwind"]["score"] == score.score


def test_report_json_has_the_documented_shape() -> None:
    graph = stakemap.load_portfolio(ROOT / "examples" / "it-customer-teams.yaml")
    data = find_gaps(graph, playbook="it-customer-team", as_of=AS_OF).as_json()
    assert set(data) == {"findings", "scores", "summary"}
    assert set(data["findings"][0]) == {"code", "rule_type", "severity", "subject", "subject_name",
                                        "customer", "message", "evidence", "remediation",
                                        "detail"}
    assert data["summary"]["by_severity"]["high"] == 3




@pytest.mark.neo4j
def test_neo4j_report_never_pulls_the_graph(neo4j_store: GraphStore,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    graph = stakemap.StakeholderGraph.from_portfolio(
        read_portfolio(ROOT / "examples" / "msp-operations.yaml"), neo4j_store)

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("find_gaps read whole node or edge lists from Neo4j")

    for method in ("export", "nodes", "edges", "get_node"):
        monkeypatch.setattr(neo4j_store, method, refuse)
    report = find_gaps(graph, playbook="msp-account-team", as_of=AS_OF)
    assert len(report.findings) == 4
