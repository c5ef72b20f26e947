"""Gap rules on both backends: each rule type flags its case and leaves its near miss alone;
the examples give exactly their planted gaps. (That every store reports what memory reports
is stakemap.testing's parity suite, run by tests/contract.)"""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
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
         "influence": 3, "reports_to": "ceo", "roles": ["end-user@svc"],
         "authority": [{"scope": "technical", "over": "svc"}]},
        {"id": "bx", "name": "Bo", "organization": "beta", "stance": "champion",
         "influence": 5, "roles": ["executive-sponsor@beta"],
         "authority": [{"scope": "budget", "over": "beta"}]},
        {"id": "by", "name": "By", "organization": "beta", "influence": 2,
         "roles": ["end-user@bsvc"]},
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


def _hub(influence: int | None, spokes: int = 3) -> Change:
    """Hal (rated ``influence``) knows Otto and ``spokes`` people of Acme no one else knows."""
    def change(doc: dict[str, Any]) -> None:
        hal = {"id": "hal", "name": "Hal", "organization": "acme"}
        if influence is not None:
            hal["influence"] = influence
        doc["people"].append(hal)
        doc["relationships"].append({"between": ["ops", "hal"]})
        for i in range(spokes):
            doc["people"].append({"id": f"s{i}", "name": f"Spoke {i}", "organization": "acme"})
            doc["relationships"].append({"between": ["hal", f"s{i}"]})
    return change


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
    ("vital-single-point", _set("ops", authority=[], roles=[]), ("svc", "acme"),
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
    # a meeting with our team covers a decision-maker; one among their own people does not
    ("uncovered-decision-maker",
     _both(_drop_relationship("am", "ceo"),
           _set_in("meetings", "acme-review", attendees=["tl", "ops", "ceo"],
                   date=AS_OF + timedelta(days=3))), ("ceo", "acme"),
     _both(_drop_relationship("am", "ceo"),
           _set_in("meetings", "acme-review", attendees=["tl", "ops", "ceo"]))),
    ("blocker-without-champion", _set("ops", stance="blocker", influence=4), ("ops", "acme"),
     _set("ops", stance="blocker", influence=3)),
    # an end user of a service the account consumes is an end user of the account; one of a
    # service it does not consume is not
    ("end-user-missing", _set("ops", roles=["end-user@bsvc"]), ("acme", "acme"),
     _set("ops", roles=["end-user@svc"])),
    # ties are relationships and meetings both sides attended (tl and ops met 30 days ago)
    ("single-threaded", _both(_drop_relationship("tl", "ops"), _add_relationship("am", "ops"),
                              _set_in("meetings", "acme-review", attendees=["am", "ops"])),
     ("acme", "acme"), _both(_drop_relationship("tl", "ops"), _add_relationship("am", "ops"))),
    ("stale-relationship", _both(_drop_relationship("tl", "ops"),
                                 _add_relationship("tl", "ops", days=91),
                                 _set_in("meetings", "acme-review",
                                         date=AS_OF - timedelta(days=100))), ("ops", "acme"),
     _both(_drop_relationship("tl", "ops"), _add_relationship("tl", "ops", days=90),
           _set_in("meetings", "acme-review", date=AS_OF - timedelta(days=100)))),
    # a meeting both attended refreshes a tie whose declared last contact is old
    ("stale-relationship", _both(_add_relationship("am", "ops", days=200),
                                 _set_in("meetings", "acme-review", attendees=["tl", "ops"])),
     ("ops", "acme"),
     _both(_add_relationship("am", "ops", days=200),
           _set_in("meetings", "acme-review", attendees=["tl", "ops", "am"]))),
    # a meeting of their own people is no contact with us; one with our person is
    ("stale-contact", _both(_drop_relationship("am", "ceo"), _add_relationship("tl", "ceo", 91),
                            lambda doc: doc["meetings"].append(
                                {"id": "m1", "name": "Board", "date": AS_OF - timedelta(days=3),
                                 "attendees": ["ceo", "ops"]})),
     ("ceo", "acme"),
     _both(_drop_relationship("am", "ceo"), _add_relationship("tl", "ceo", 91),
           lambda doc: doc["meetings"].append(
               {"id": "m1", "name": "Board", "date": AS_OF - timedelta(days=3),
                "attendees": ["ceo", "ops", "tl"]}))),
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
    # the MSA renews in 120 days with 100 days' notice: warned from 130 days before (30
    # days' lead); Cleo (the budget holder) last met us 10 days ago, within the 60 days
    ("renewal-without-executive-contact",
     _both(_set_in("agreements", "msa", renewal=AS_OF + timedelta(days=120), notice_days=100),
           _drop_relationship("am", "ceo"), _add_relationship("am", "ceo", days=61)),
     ("msa", "acme"),
     _both(_set_in("agreements", "msa", renewal=AS_OF + timedelta(days=120), notice_days=100),
           _drop_relationship("am", "ceo"), _add_relationship("am", "ceo", days=60))),
    # ... and not before the warning starts (131 days ahead), nor after the renewal
    ("renewal-without-executive-contact",
     _both(_set_in("agreements", "msa", renewal=AS_OF + timedelta(days=130), notice_days=100),
           _drop_relationship("am", "ceo")), ("msa", "acme"),
     _both(_set_in("agreements", "msa", renewal=AS_OF + timedelta(days=131), notice_days=100),
           _drop_relationship("am", "ceo"))),
    ("renewal-without-executive-contact",
     _both(_set_in("agreements", "msa", renewal=AS_OF), _drop_relationship("am", "ceo")),
     ("msa", "acme"),
     _both(_set_in("agreements", "msa", renewal=AS_OF - timedelta(days=1)),
           _drop_relationship("am", "ceo"))),
    ("overloaded-person", _set("am", roles=["account-manager@acme", "account-manager@beta"]),
     ("am", None),
     _set("am", roles=["account-manager@acme", "business-relationship-manager@acme"])),
    # Hal, rated 1, is the only link from three of Acme's people to the rest: central in
    # fact; rated 4 he is not hidden. In a network of fewer than 5 of theirs, no one is.
    ("hidden-influencer", _hub(influence=1), ("hal", "acme"), _hub(influence=4)),
    ("hidden-influencer", _hub(influence=None), ("hal", "acme"), _hub(influence=1, spokes=1)),
    # Gil knows only Otto: every tie of ours to Gil runs through Otto, until Tim knows Gil
    ("gatekeeper-uncovered", _both(_add_person(id="gil", name="Gil", organization="acme"),
                                   _add_relationship("ops", "gil")), ("ops", "acme"),
     _both(_add_person(id="gil", name="Gil", organization="acme"),
           _add_relationship("ops", "gil"), _add_relationship("tl", "gil"))),
    # a reporting line is a tie by default: Gil reporting to Otto is cut off the same way,
    # until a meeting with Ann gives us a tie of our own
    ("gatekeeper-uncovered", _add_person(id="gil", name="Gil", organization="acme",
                                         reports_to="ops"), ("ops", "acme"),
     _both(_add_person(id="gil", name="Gil", organization="acme", reports_to="ops"),
           lambda doc: doc["meetings"].append({"id": "intro", "name": "Intro",
                                               "date": AS_OF, "attendees": ["am", "gil"]}))),
]


def _report(doc: dict[str, Any], store: GraphStore, **options: Any) -> GapReport:
    portfolio = parse_portfolio(yaml.safe_dump(doc, allow_unicode=True), "case.yaml")
    store.clear()
    graph = stakemap.StakeholderGraph.from_portfolio(portfolio, store)
    return find_gaps(graph, playbook=str(RULES), as_of=AS_OF, **options)


def _hits(report: GapReport, code: str) -> set[tuple[str, str | None]]:
    """Subjects ``code`` found, as a finding of its own or folded into another finding of
    the same cause (a lapsed key contact's stale relationship is in its stale-contact)."""
    return {(f.subject, f.customer) for f in report.findings
            if f.code == code or any(a.code == code for a in f.also)}


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
    for score in report.scores:  # every account leads with planted gaps, worst first
        top = report.top_actions(score.customer)
        assert top
        assert {(f.code, f.subject) for f in top} <= planted
        assert [f.severity.rank for f in top] == sorted((f.severity.rank for f in top),
                                                        reverse=True)


def test_the_score_model_on_a_worked_example(store: GraphStore) -> None:
    """The README's worked example: each failing rule takes severity fraction x its share
    of failure from what is left of its dimension; the score is the product."""
    doc = copy.deepcopy(BASE)
    _set("ceo", roles=[{"role": "executive-sponsor", "scope": "acme",
                        "until": AS_OF - timedelta(days=1)}])(doc)   # high, 1 of 1 seat
    doc["services"].append({"id": "svc2", "name": "Backup", "provider": "us",
                            "consumers": ["acme"]})  # unowned: high, 1 of 2 services
    report = _report(doc, store)
    acme = next(s for s in report.scores if s.customer == "acme")
    codes = {f.code for f in report.findings if f.customer == "acme"}
    assert codes == {"executive-sponsor-missing", "unowned-service"}
    # seats: executive sponsor (high, share 1), then unowned service (high, share 1/2)
    assert acme.dimensions == {"seats": round(100 * 0.65 * (1 - 0.35 / 2)),  # 54
                               "decisions": 100, "relationships": 100, "hygiene": 100}
    assert acme.score == 54
    assert report.as_json()["scores"]["acme"]["dimensions"] == acme.dimensions
    beta = next(s for s in report.scores if s.customer == "beta")
    assert beta.score == 100


def test_display_filters_never_change_a_score(store: GraphStore) -> None:
    doc = copy.deepcopy(BASE)
    _set("tl", status="left")(doc)
    _set("ceo", status="left")(doc)
    full = {s.customer: s for s in _report(doc, store).scores}
    assert full["acme"].score < 100
    for options in ({"only": ["unowned-service"]}, {"ignore": ["executive-sponsor-missing"]},
                    {"customers": ["acme"]}):
        scores = {s.customer: s for s in _report(doc, store, **options).scores}
        assert scores["acme"] == full["acme"], options


def test_a_lapsed_key_contact_is_one_finding(store: GraphStore) -> None:
    """Cleo decides and is influential: her only tie lapsing is a stale contact and a stale
    relationship; the report has one finding about her, carrying both."""
    doc = copy.deepcopy(BASE)
    _both(_drop_relationship("am", "ceo"), _add_relationship("tl", "ceo", 120))(doc)
    about = [f for f in _report(doc, store).findings if f.subject == "ceo"]
    assert len(about) == 1
    (finding,) = about
    assert finding.code == "stale-contact"
    assert [a.code for a in finding.also] == ["stale-relationship"]
    assert finding.as_json()["also"][0]["code"] == "stale-relationship"


def test_findings_are_ranked_and_each_account_leads_with_its_top_actions(
        store: GraphStore) -> None:
    doc = copy.deepcopy(BASE)
    _set("tl", status="left")(doc)        # high: svc (vital) unowned
    _set("ceo", status="left")(doc)       # high: exec sponsor; Cleo gone
    _set("ops", stance="blocker", influence=4)(doc)  # high: blocker, no champion left
    report = _report(doc, store)
    acme = [f for f in report.findings if f.customer == "acme"]
    highs = [f for f in acme if f.severity.value == "high"]
    assert [f.code for f in highs][:1] == ["unowned-service"]  # a vital service ranks first
    assert report.top_actions("acme") == acme[:3]
    assert report.as_json()["top_actions"]["acme"] == [
        report.findings.index(f) for f in acme[:3]]


def test_report_json_has_the_documented_shape() -> None:
    graph = stakemap.load_portfolio(ROOT / "examples" / "it-customer-teams.yaml")
    data = find_gaps(graph, playbook="it-customer-team", as_of=AS_OF).as_json()
    assert set(data) == {"findings", "scores", "summary", "top_actions"}
    assert set(data["findings"][0]) == {"code", "rule_type", "severity", "subject", "subject_name",
                                        "customer", "message", "evidence", "remediation",
                                        "detail", "also"}
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


@pytest.mark.parametrize(("params", "expected"), [
    ({}, {("acme", "acme")}),                                    # 4 >= summary_from 4
    ({"summary_from": 5}, {("t0", "acme"), ("t1", "acme"), ("t2", "acme"), ("t3", "acme")}),
    ({"tail": "each"}, {("t0", "acme"), ("t1", "acme"), ("t2", "acme"), ("t3", "acme")}),
    ({"tail": "ignore"}, set())])
def test_the_long_tail_of_stale_ties(store: GraphStore, tmp_path: Path, params: dict[str, Any],
                                     expected: set[tuple[str, str]]) -> None:
    """Four people who are not key, each with one stale tie: one summary finding on the
    account, or a finding each, or none, by the rule's ``tail`` and ``summary_from``."""
    doc = copy.deepcopy(BASE)
    for i in range(4):
        _add_person(id=f"t{i}", name=f"T{i}", organization="acme", influence=1)(doc)
        _add_relationship("am", f"t{i}", days=100 + i)(doc)
    book = tmp_path / "tail.yaml"
    book.write_text(yaml.safe_dump({"playbook": "tail", "rules": [
        {"id": "stale-relationship", "type": "stale-relationship", **params}]}),
        encoding="utf-8")
    portfolio = parse_portfolio(yaml.safe_dump(doc, allow_unicode=True), "case.yaml")
    store.clear()
    graph = stakemap.StakeholderGraph.from_portfolio(portfolio, store)
    report = find_gaps(graph, playbook=str(book), as_of=AS_OF)
    assert _hits(report, "stale-relationship") == expected
    if expected == {("acme", "acme")}:
        (summary,) = report.findings
        assert summary.detail.others == 4
        assert summary.evidence == ("t0", "t1", "t2", "t3")
        assert summary.detail.days == 103
        assert "4 other ties are older than 90 days" in summary.message
