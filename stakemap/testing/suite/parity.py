"""Parity: the store under test answers every analysis exactly as the in-memory reference
does, on generated portfolios and (in a source checkout) the shipped examples.

One test per question, each over every portfolio: the graph read back, the gap reports of
each playbook, and one account's review (findings, score, role table, grid, diagram and
review pack, the last two as text, so no Graphviz binary is needed).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path

import pytest

import stakemap
from stakemap.analysis.gaps import GapReport, find_gaps
from stakemap.analysis.review import AccountReview
from stakemap.backends import GraphStore
from stakemap.generate import generate_portfolio
from stakemap.model import Portfolio
from stakemap.testing.backend import Parity

__all__ = ["AS_OF", "ParityCase", "TestParity", "parity_cases"]

AS_OF = date(2026, 11, 1)


@dataclass(frozen=True)
class ParityCase:
    """A portfolio to compare on, the playbooks to run, and the account to review (None:
    the first account the first playbook finds a gap at)."""

    id: str
    portfolio: Callable[[], Portfolio]
    playbooks: tuple[str, ...]
    account: str | None = None


EXAMPLE_PLAYBOOKS = {
    "msp-operations": ("msp-account-team", "northwind"),
    "vendor-implementation": ("account-trio", "helix"),
    "it-customer-teams": ("it-customer-team", "bu-logistics"),
}
"""The shipped examples, each with the playbook it is written for and its account."""


def examples_folder() -> Path | None:
    """``examples/`` of the source checkout stakemap runs from; None when installed from a
    wheel (which ships no examples), and then only generated portfolios are compared."""
    found = Path(stakemap.__file__).resolve().parent.parent / "examples"
    return found if found.is_dir() else None


def parity_cases() -> list[ParityCase]:
    """Generated portfolios (8 accounts, seeds 1 and 2) under three playbooks, and the
    examples under their own playbooks when the examples are at hand."""
    cases = [ParityCase(f"generated-{seed}", partial(generate_portfolio, 8, seed=seed),
                        ("default", "it-customer-team", "msp-account-team"))
             for seed in (1, 2)]
    folder = examples_folder()
    if folder is not None:
        from stakemap.files.load import read_portfolio

        for name, (playbook, account) in EXAMPLE_PLAYBOOKS.items():
            path = folder / f"{name}.yaml"
            if path.is_file():
                cases.append(ParityCase(name, partial(read_portfolio, path), (playbook,),
                                        account))
    return cases


CASES = [pytest.param(case, id=case.id) for case in parity_cases()]


def _gaps(playbook: str, store: GraphStore) -> GapReport:
    return find_gaps(store, playbook=playbook, as_of=AS_OF)


class TestParity:
    """The store under test against the in-memory reference, question by question."""

    @pytest.mark.parametrize("case", CASES)
    def test_the_graph_reads_back_the_same(self, parity: Parity, case: ParityCase) -> None:
        portfolio = case.portfolio()
        parity.load(portfolio)
        expected, got = parity.both(lambda s: s.export())
        assert got == expected == portfolio
        expected_counts, got_counts = parity.both(lambda s: s.counts())
        assert got_counts == expected_counts
        assert sum(expected_counts.values()) == len(portfolio.nodes) + len(portfolio.edges)
        expected_accounts, got_accounts = parity.both(lambda s: s.accounts())
        assert got_accounts == expected_accounts
        assert expected_accounts

    @pytest.mark.parametrize("case", CASES)
    def test_gap_reports_are_the_same(self, parity: Parity, case: ParityCase) -> None:
        parity.load(case.portfolio())
        for playbook in case.playbooks:
            expected, got = parity.both(partial(_gaps, playbook))
            assert got == expected, playbook
            assert expected.findings, f"{case.id} under {playbook} compares no findings"
        if case.id.startswith("generated"):  # gaps of many kinds are planted there
            report = _gaps(case.playbooks[0], parity.reference)
            assert len(report.findings) > 20
            assert len({f.code for f in report.findings}) >= 6

    @pytest.mark.parametrize("case", CASES)
    def test_an_account_review_is_the_same(self, parity: Parity, case: ParityCase) -> None:
        from stakemap.analysis.account import account_teams
        from stakemap.render import render, report

        parity.load(case.portfolio())
        playbook = case.playbooks[0]
        account = case.account or next(
            f.customer for f in _gaps(playbook, parity.reference).findings if f.customer)

        def review(store: GraphStore) -> AccountReview:
            return AccountReview.build(store, account, playbook=playbook, as_of=AS_OF)

        expected, got = parity.both(review)
        assert got.findings == expected.findings
        assert expected.findings
        assert got.score == expected.score
        assert got.role_rows() == expected.role_rows()
        assert got.power_interest() == expected.power_interest()
        assert (got.view.account, got.view.provider) == (expected.view.account,
                                                          expected.view.provider)
        pack, got_pack = parity.both(
            lambda s: report(s, customer=account, playbook=playbook, as_of=AS_OF))
        assert got_pack.markdown() == pack.markdown()
        assert got_pack.diagram.source == pack.diagram.source
        # who covers whom: the same rows, columns and cells, and the same DOT
        assert got.coverage == expected.coverage
        assert expected.coverage is not None
        assert expected.coverage.columns
        assert got_pack.coverage is not None
        assert pack.coverage is not None
        assert got_pack.coverage.source == pack.coverage.source
        overview, got_overview = parity.both(
            lambda s: render(s, playbook=playbook, as_of=AS_OF, view="overview").source)
        assert got_overview == overview
        heatmap, got_heatmap = parity.both(
            lambda s: render(s, playbook=playbook, as_of=AS_OF).source)
        assert got_heatmap == heatmap
        accounts = [a.id for a in parity.reference.accounts()]
        teams, got_teams = parity.both(lambda s: account_teams(s, accounts))
        assert got_teams == teams

    @pytest.mark.parametrize("case", CASES)
    def test_relationship_intelligence_is_the_same(self, parity: Parity,
                                                   case: ParityCase) -> None:
        """The people network of every account (both projections), its network roles, the
        network rule types, a warm path and a what-if per account, the stakeholders and
        the key-person ranking: the store reads its own data, the answers are the same."""
        parity.load(case.portfolio())
        accounts = [a.id for a in parity.reference.accounts()]

        def networks(store: GraphStore) -> list[object]:
            runner = store.rule_runner(AS_OF)
            return [runner.people_network(a, reporting) for a in accounts
                    for reporting in (True, False)]

        expected_networks, got_networks = parity.both(networks)
        assert got_networks == expected_networks
        assert any(n.ties for n in expected_networks)  # type: ignore[attr-defined]
        roles, got_roles = parity.both(
            lambda s: stakemap.network_roles(s, as_of=AS_OF).as_json())
        assert got_roles == roles
        network_gaps, got_network_gaps = parity.both(partial(_gaps, "network"))
        assert got_network_gaps == network_gaps
        stakes, got_stakes = parity.both(
            lambda s: s.rule_runner(AS_OF).stakeholders(accounts))
        assert got_stakes == stakes
        assert any(stakes.values())
        first = expected_networks[0]
        theirs = [p.id for p in first.people  # type: ignore[attr-defined]
                  if p.side is stakemap.Side.CUSTOMER]
        path, got_path = parity.both(
            lambda s: stakemap.paths(s, to=theirs[-1], as_of=AS_OF).as_json())
        assert got_path == path
        leaves, got_leaves = parity.both(
            lambda s: stakemap.what_if(s, leaves=[theirs[0]], as_of=AS_OF).as_json())
        assert got_leaves == leaves
        one = [case.account or accounts[0]]  # a ranking tries ~30 people an account
        ranking, got_ranking = parity.both(lambda s: stakemap.key_people_at_risk(
            s, customers=one, playbook=case.playbooks[0], as_of=AS_OF, limit=5).as_json())
        assert got_ranking == ranking
        assert ranking["ours"] or ranking["theirs"]
