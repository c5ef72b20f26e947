"""What gap reports ask a store: its accounts (the facts a rule's ``when`` selector looks
at) and a rule runner that implements every rule type, and the selector applied end to end
through ``find_gaps``."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

import pytest

from stakemap.analysis.gaps import GapReport, find_gaps
from stakemap.analysis.playbook import Playbook
from stakemap.backends import GraphStore
from stakemap.errors import StakemapError
from stakemap.model import (
    Agreement,
    Attended,
    AuthorityScope,
    Consumes,
    DecisionAuthority,
    HoldsRole,
    Meeting,
    Organization,
    OrgKind,
    Owns,
    PartyTo,
    Person,
    PersonStatus,
    Phase,
    Portfolio,
    Provides,
    Relationship,
    Service,
)
from stakemap.rules import (
    RULE_TYPES,
    Account,
    AccountSizes,
    NoMeetingInDays,
    RuleBase,
    RuleNotImplementedError,
    Selector,
)
from stakemap.testing.backend import Parity
from stakemap.testing.suite.contract import write

__all__ = ["AS_OF", "TestAccounts", "TestRuleRunner", "TestWhenSelector", "accounts_portfolio",
           "ties_portfolio"]

AS_OF = date(2026, 11, 1)


def accounts_portfolio() -> Portfolio:
    """Four accounts that differ in tier, phase and vital services, and four organizations
    that are not accounts (a provider, a partner, a group parent, an idle customer).

    ==========  ========  ==============  =======================
    account     tier      phase           vital service
    ==========  ========  ==============  =======================
    alpha       strategic operations      yes
    bravo       strategic implementation  no (consumes, not vital)
    charlie     growth    operations      no (agreement only)
    delta       (none)    (none)          yes (and one not vital)
    ==========  ========  ==============  =======================
    """
    customer = OrgKind.CUSTOMER
    return Portfolio.build(
        name="Accounts",
        nodes=[
            Organization(id="us", name="Us", type=OrgKind.PROVIDER),
            Organization(id="ally", name="Ally", type=OrgKind.PARTNER),
            Organization(id="group", name="Group", type=customer, tier="strategic"),
            Organization(id="idle", name="Idle", type=customer, tier="strategic",
                         phase=Phase.OPERATIONS),
            Organization(id="alpha", name="Alpha", type=customer, tier="strategic",
                         phase=Phase.OPERATIONS, parent="group"),
            Organization(id="bravo", name="Bravo", type=customer, tier="strategic",
                         phase=Phase.IMPLEMENTATION, parent="group"),
            Organization(id="charlie", name="Charlie", type=customer, tier="growth",
                         phase=Phase.OPERATIONS),
            Organization(id="delta", name="Delta", type=customer),
            Service(id="erp", name="ERP"),
            Service(id="mail", name="Mail"),
            Agreement(id="msa", name="MSA"),
            Agreement(id="nda", name="NDA"),
        ],
        edges=[
            Provides(source="us", target="erp"),
            Provides(source="us", target="mail"),
            Consumes(source="alpha", target="erp", vital=True),
            Consumes(source="bravo", target="mail"),
            Consumes(source="delta", target="erp", vital=True),
            Consumes(source="delta", target="mail"),
            PartyTo(source="charlie", target="msa"),
            PartyTo(source="us", target="msa"),
            PartyTo(source="ally", target="nda"),
            PartyTo(source="us", target="nda"),
        ],
    )


def ties_portfolio() -> Portfolio:
    """One account, ``group``, with a division ``east`` (whose people are the account's),
    a vital service, two of our people and three meetings as of 2026-11-01: one both sides
    attended, one of their people alone, one not held yet.

    Ties: am-g1 (a relationship), tl-g2 and tl-e1 (the shared meeting): three. Key people:
    g1 (decides, influence 5) and e1 (business owner at the division); g2 is an end user."""
    customer = OrgKind.CUSTOMER
    day = date.fromisoformat
    return Portfolio.build(name="Ties", nodes=[
        Organization(id="us", name="Us", type=OrgKind.PROVIDER),
        Organization(id="group", name="Group", type=customer, phase=Phase.OPERATIONS),
        Organization(id="east", name="East", type=customer, parent="group"),
        Service(id="erp", name="ERP"),
        Person(id="am", name="Am", organization="us"),
        Person(id="tl", name="Tl", organization="us"),
        Person(id="g1", name="G1", organization="group", influence=5),
        Person(id="g2", name="G2", organization="group", influence=2),
        Person(id="e1", name="E1", organization="east"),
        Person(id="e2", name="E2", organization="east", status=PersonStatus.LEFT),
        Meeting(id="m1", name="Review", date=day("2026-10-15")),
        Meeting(id="m2", name="Board", date=day("2026-10-20")),
        Meeting(id="m3", name="Next", date=day("2026-12-01")),
    ], edges=[
        Provides(source="us", target="erp"),
        Consumes(source="group", target="erp", vital=True),
        HoldsRole(source="am", target="group", role="account-manager"),
        Owns(source="tl", target="erp"),
        DecisionAuthority(source="g1", target="group", scope=AuthorityScope.BUDGET),
        HoldsRole(source="g2", target="erp", role="end-user"),
        HoldsRole(source="e1", target="east", role="business-owner"),
        Relationship(source="am", target="g1", last_contact=day("2026-10-01")),
        *(Attended(source=p, target="m1") for p in ("tl", "g2", "e1")),
        *(Attended(source=p, target="m2") for p in ("g1", "g2")),
        *(Attended(source=p, target="m3") for p in ("am", "e1")),
    ])


class TestAccounts:
    """``accounts()``: who is an account, and the facts selectors read."""

    def test_accounts_are_customers_that_consume_a_service_or_are_party_to_an_agreement(
            self, store: GraphStore) -> None:
        write(store, accounts_portfolio())
        assert store.accounts() == [
            Account("alpha", "strategic", Phase.OPERATIONS, vital=True),
            Account("bravo", "strategic", Phase.IMPLEMENTATION, vital=False),
            Account("charlie", "growth", Phase.OPERATIONS, vital=False),
            Account("delta", None, None, vital=True),
        ]

    def test_an_empty_store_has_no_accounts_and_no_gaps(self, store: GraphStore) -> None:
        assert store.accounts() == []
        report = find_gaps(store, playbook="default", as_of=AS_OF)
        assert (report.findings, report.scores) == ((), ())

    def test_an_account_stops_being_one_when_its_last_service_goes(
            self, store: GraphStore) -> None:
        write(store, accounts_portfolio())
        store.delete_node("mail")
        assert [a.id for a in store.accounts()] == ["alpha", "charlie", "delta"]
        store.delete_node("erp")
        assert [a.id for a in store.accounts()] == ["charlie"]


class _Unregistered(RuleBase):
    """A rule type no backend implements (declared here, never registered in RULE_TYPES)."""

    type: Literal["stakemap-suite-unregistered"] = "stakemap-suite-unregistered"


class TestRuleRunner:
    """``rule_runner``: every registered rule type runs; an unknown one is a clear error."""

    def test_supports_every_registered_rule_type(self, store: GraphStore) -> None:
        runner = store.rule_runner(AS_OF)
        lacking = [name for name, cls in RULE_TYPES.items() if not runner.supports(cls)]
        assert lacking == []
        assert len(RULE_TYPES) >= 13

    def test_an_unknown_rule_type_is_a_rule_not_implemented_error(
            self, store: GraphStore) -> None:
        assert "stakemap-suite-unregistered" not in RULE_TYPES
        write(store, accounts_portfolio())
        runner = store.rule_runner(AS_OF)
        assert not runner.supports(_Unregistered)
        with pytest.raises(RuleNotImplementedError, match="stakemap-suite-unregistered") as e:
            runner.run(_Unregistered(id="unregistered"), ["alpha"])
        assert isinstance(e.value, StakemapError)
        playbook = Playbook(name="unknown", rules=(_Unregistered(id="unregistered"),))
        with pytest.raises(RuleNotImplementedError, match="stakemap-suite-unregistered"):
            find_gaps(store, playbook=playbook, as_of=AS_OF)

    def test_sizes_count_people_things_key_people_and_ties(self, store: GraphStore) -> None:
        """What scores are counted against (``RuleRunner.sizes``), on an account with a
        division, a shared meeting, a meeting of theirs alone and one not held yet."""
        write(store, ties_portfolio())
        sizes = store.rule_runner(AS_OF).sizes(["group"])
        assert sizes == {"group": AccountSizes(
            people=4, things=3, services=1, vital_services=1, agreements=0,
            decision_makers=1, key_people=2, ties=3)}

    def test_importance_ranks_subjects(self, store: GraphStore) -> None:
        write(store, ties_portfolio())
        weights = store.rule_runner(AS_OF).importance(["g1", "g2", "erp", "group", "nope"])
        assert weights == {"g1": 8, "g2": 3, "erp": 4, "group": 3}

    def test_runs_a_rule_over_the_accounts_it_is_given(self, store: GraphStore) -> None:
        write(store, accounts_portfolio())
        rule = NoMeetingInDays(id="no-meeting")
        hits = store.rule_runner(AS_OF).run(rule, ["bravo", "delta"])
        assert sorted((h.subject, h.customer) for h in hits) == [("bravo", "bravo"),
                                                                 ("delta", "delta")]


def _rule(code: str, **when: Any) -> NoMeetingInDays:
    # no account in accounts_portfolio has met anyone, so this rule flags every account
    # it applies to: the findings show exactly which accounts the selector chose
    return NoMeetingInDays(id=code, when=Selector(**when))


SELECTED: dict[str, tuple[dict[str, Any], set[str]]] = {
    "everyone": ({}, {"alpha", "bravo", "charlie", "delta"}),
    "strategic": ({"tiers": ["strategic"]}, {"alpha", "bravo"}),
    "two-tiers": ({"tiers": ["strategic", "growth"]}, {"alpha", "bravo", "charlie"}),
    "no-such-tier": ({"tiers": ["platinum"]}, set()),
    "operations": ({"phases": [Phase.OPERATIONS]}, {"alpha", "charlie"}),
    "implementation": ({"phases": ["implementation"]}, {"bravo"}),
    "named": ({"customers": ["bravo", "delta", "idle"]}, {"bravo", "delta"}),
    "vital": ({"with_vital_services": True}, {"alpha", "delta"}),
    "not-vital": ({"with_vital_services": False}, {"bravo", "charlie"}),
    "strategic-not-vital": ({"tiers": ["strategic"], "with_vital_services": False},
                            {"bravo"}),
    "operations-vital": ({"phases": ["operations"], "with_vital_services": True}, {"alpha"}),
    "growth-implementation": ({"tiers": ["growth"], "phases": ["implementation"]}, set()),
    "named-operations": ({"customers": ["alpha", "bravo", "charlie"],
                          "phases": ["operations"]}, {"alpha", "charlie"}),
    "all-four": ({"customers": ["alpha", "bravo"], "tiers": ["strategic"],
                  "phases": ["operations"], "with_vital_services": True}, {"alpha"}),
}
"""Rule code -> (its ``when``, the accounts it must flag)."""


class TestWhenSelector:
    """A rule's ``when`` chooses its accounts by tier, phase, name and vital services, alone
    and combined, the same on every store."""

    @staticmethod
    def _report(store: GraphStore) -> GapReport:
        playbook = Playbook(name="selectors",
                            rules=tuple(_rule(code, **when) for code, (when, _) in
                                        SELECTED.items()))
        return find_gaps(store, playbook=playbook, as_of=AS_OF)

    def test_exactly_the_matching_accounts_get_findings(self, store: GraphStore) -> None:
        write(store, accounts_portfolio())
        report = self._report(store)
        found: dict[str, set[str]] = {code: set() for code in SELECTED}
        for f in report.findings:
            assert f.customer is not None
            found[f.code].add(f.customer)
        assert found == {code: expected for code, (_, expected) in SELECTED.items()}
        assert [s.customer for s in report.scores] == ["alpha", "bravo", "charlie", "delta"]

    def test_a_report_narrowed_to_customers_keeps_each_rule_s_selector(
            self, store: GraphStore) -> None:
        write(store, accounts_portfolio())
        report = find_gaps(store, playbook=Playbook(name="selectors", rules=(
            _rule("vital", with_vital_services=True), _rule("strategic", tiers=["strategic"]),
        )), as_of=AS_OF, customers=["bravo", "delta"])
        assert {(f.code, f.customer) for f in report.findings} == {("vital", "delta"),
                                                                    ("strategic", "bravo")}

    def test_the_whole_report_equals_the_reference(self, parity: Parity) -> None:
        parity.load(accounts_portfolio())
        expected, got = parity.both(self._report)
        assert got == expected
        assert len(expected.findings) == sum(len(accounts) for _, accounts in
                                             SELECTED.values())
