"""Key-person risk across the portfolio (``stakemap whatif --rank``): each tried person's cost
is exactly what a what-if of their departure says, no departure that costs a finding or
reach goes untried, and the ranking is the same on both backends (the ``store`` fixture)."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest
from click.testing import CliRunner
from stakemap_cli.app import cli

import stakemap
from stakemap.analysis.keypeople import tried_at
from stakemap.backends import GraphStore
from tests.conftest import ROOT

AS_OF = date(2026, 11, 1)
MSP = ROOT / "examples" / "msp-operations.yaml"
IT = ROOT / "examples" / "it-customer-teams.yaml"


def _load(path: object, store: GraphStore) -> stakemap.StakeholderGraph:
    return stakemap.StakeholderGraph.from_portfolio(stakemap.read_portfolio(path), store)


@pytest.mark.parametrize("example", [MSP, IT], ids=lambda p: p.stem)
def test_every_cost_is_a_what_if_and_every_loss_is_tried(store: GraphStore,
                                                         example: object) -> None:
    """For every person of every account: if the ranking tried them there, their cost is
    the what-if's score drop and lost reach; if not, a what-if finds no new finding and no
    one out of reach (only the shares of a score can move: fewer people to count)."""
    graph = _load(example, store)
    ranking = stakemap.key_people_at_risk(graph, as_of=AS_OF, limit=1000)
    cost = {(p.person, a.account): a for p in (*ranking.ours, *ranking.theirs)
            for a in p.accounts}
    runner = store.rule_runner(AS_OF)
    accounts = [a.id for a in store.accounts()]
    stakes = runner.stakeholders(accounts)
    tried = 0
    for account in accounts:
        network = runner.people_network(account)
        chosen = tried_at(network, stakes[account])
        for person in network.people:
            (loss,) = stakemap.what_if(graph, leaves=[person.id], customers=[account],
                                       as_of=AS_OF).accounts
            found = cost.get((person.id, account))
            if person.id in chosen:
                tried += 1
                if loss.lost > 0 or loss.unreachable:
                    assert found is not None, (person.id, account)
                    assert (found.score_before, found.score_after) == (
                        loss.score_before, loss.score_after)
                    assert found.unreachable == loss.unreachable
                    assert {f.code for f in found.new_findings} == {
                        f.code for f in loss.new_findings}
                else:
                    assert found is None, (person.id, account)
            else:
                assert (loss.new_findings, loss.unreachable) == ((), ()), (person.id, account)
                assert found is None
    assert tried >= 5


def test_the_msp_example_ranks_its_single_points(store: GraphStore) -> None:
    """Northwind's only account lead of ours and its only system owner of theirs top their
    sides, each with the finding their departure would cause."""
    ranking = stakemap.key_people_at_risk(_load(MSP, store), as_of=AS_OF, limit=3)
    assert len(ranking.ours) == 3
    assert len(ranking.theirs) == 3
    ours, theirs = ranking.ours[0], ranking.theirs[0]
    assert ours.side is stakemap.Side.PROVIDER
    assert theirs.side is stakemap.Side.CUSTOMER
    assert "account-lead-missing" in {f.code for a in ours.accounts for f in a.new_findings}
    assert "system-owner-missing" in {f.code for a in theirs.accounts
                                      for f in a.new_findings}
    # worded as a gap report words it: role names, not ids
    lead = next(f for a in ours.accounts for f in a.new_findings
                if f.code == "account-lead-missing")
    assert "Account Manager" in lead.message
    assert "account-manager" not in lead.message
    points = [p.points for p in ranking.theirs]
    assert points == sorted(points, reverse=True)
    assert all(p.points == sum(a.lost for a in p.accounts) for p in ranking.theirs)


def test_the_ranking_is_the_same_on_both_backends(store: GraphStore) -> None:
    portfolio = stakemap.generate_portfolio(3, seed=7)
    memory = stakemap.key_people_at_risk(stakemap.StakeholderGraph.from_portfolio(portfolio),
                                         as_of=AS_OF, limit=5)
    here = stakemap.key_people_at_risk(
        stakemap.StakeholderGraph.from_portfolio(portfolio, store), as_of=AS_OF, limit=5)
    assert here.as_json() == memory.as_json()
    assert memory.ours
    assert memory.theirs


def test_rank_arguments_are_checked(store: GraphStore) -> None:
    graph = _load(MSP, store)
    with pytest.raises(stakemap.UsageError, match="no account 'northwnd'"):
        stakemap.key_people_at_risk(graph, customers=["northwnd"], as_of=AS_OF)
    with pytest.raises(stakemap.UsageError, match="limit"):
        stakemap.key_people_at_risk(graph, limit=0, as_of=AS_OF)


def test_cli_rank_in_every_format() -> None:
    runner = CliRunner()
    table = runner.invoke(cli, ["whatif", str(MSP), "--rank", "--limit", "2",
                                "--as-of", AS_OF.isoformat()])
    assert table.exit_code == 0, table.output
    assert "ours:" in table.output
    assert "theirs:" in table.output
    data = json.loads(runner.invoke(cli, ["whatif", str(MSP), "--rank", "--format", "json",
                                          "--as-of", AS_OF.isoformat()]).output)
    assert data["ours"][0]["accounts"][0]["account"] == "northwind"
    rows = list(csv.DictReader(io.StringIO(runner.invoke(
        cli, ["whatif", str(MSP), "--rank", "--format", "csv",
              "--as-of", AS_OF.isoformat()]).output)))
    assert {r["side"] for r in rows} == {"ours", "theirs"}
    assert rows[0]["rank"] == "1"
    markdown = runner.invoke(cli, ["whatif", str(MSP), "--rank", "--format", "markdown",
                                   "--as-of", AS_OF.isoformat()]).output
    assert "## Our side" in markdown
    assert "## Their side" in markdown


@pytest.mark.parametrize("args", [[], ["--rank", "--leaves", "tom-becker"]])
def test_cli_wants_leaves_or_rank(args: list[str]) -> None:
    result = CliRunner().invoke(cli, ["whatif", str(MSP), *args])
    assert result.exit_code == 2
    assert "--leaves PERSON (repeatable) or --rank" in result.output


def test_cli_what_if_as_csv() -> None:
    result = CliRunner().invoke(cli, ["whatif", str(MSP), "--leaves", "julia-weber",
                                      "--format", "csv", "--as-of", AS_OF.isoformat()])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert {"finding", "unreachable"} <= {r["loss"] for r in rows}
    assert ("nadia-rahman", "Nadia Rahman") in {(r["subject"], r["detail"]) for r in rows
                                                 if r["loss"] == "unreachable"}
