"""What if these people leave: the findings they would cause, the score before and after,
and who we could no longer reach; the same on both backends (the ``store`` fixture)."""

from __future__ import annotations

import json
from datetime import date

import pytest
from click.testing import CliRunner
from stakemap_cli.app import cli

import stakemap
from stakemap.backends import GraphStore
from tests.conftest import ROOT
from tests.networks import one_account

AS_OF = date(2026, 11, 1)
VENDOR = ROOT / "examples" / "vendor-implementation.yaml"


def _vendor(store: GraphStore) -> stakemap.StakeholderGraph:
    return stakemap.StakeholderGraph.from_portfolio(stakemap.read_portfolio(VENDOR), store)


def test_the_one_thread_leaving_cuts_the_account_off(store: GraphStore) -> None:
    """Marta Kowalski is Helix's single thread: without her the account has no account
    lead, no ties, four uncovered decision-makers, and we reach none of their people."""
    report = stakemap.what_if(_vendor(store), leaves=["marta-kowalski"], as_of=AS_OF)
    (helix,) = report.accounts
    assert helix.account == "helix"
    assert helix.score_after < helix.score_before
    codes = {f.code for f in helix.new_findings}
    assert {"account-lead-missing", "single-threaded", "uncovered-decision-maker"} <= codes
    assert "chen-jing" in helix.unreachable
    assert report.as_json()["accounts"][0]["new_findings"][0]["customer"] == "helix"


def test_someone_nobody_depends_on_costs_nothing(store: GraphStore) -> None:
    """Arjun Mehta's seat (solution responsible) is not one the default playbook requires
    and he brokers nothing: Helix loses no finding and no reach. Chen Jing, the blocker,
    leaving raises the score: a what-if says so."""
    graph = _vendor(store)
    (helix,) = stakemap.what_if(graph, leaves=["arjun-mehta"], as_of=AS_OF).accounts
    assert helix.account == "helix"
    assert helix.new_findings == ()
    assert helix.score_after == helix.score_before
    assert (helix.unreachable, helix.colder) == ((), ())
    (helix,) = stakemap.what_if(graph, leaves=["chen-jing"], as_of=AS_OF).accounts
    assert helix.score_after > helix.score_before
    (helix,) = stakemap.what_if(graph, leaves=["zhao-lei"], as_of=AS_OF).accounts
    assert [f.code for f in helix.new_findings] == ["functional-area-manager-missing"]


def test_a_broker_leaving_makes_people_unreachable(store: GraphStore) -> None:
    g = one_account(store, "mid", "far", "near")
    g.relate("tom", "mid", strength=0.9, last_contact=AS_OF)
    g.relate("mid", "far", strength=0.9, last_contact=AS_OF)
    g.relate("tom", "near", strength=0.9, last_contact=AS_OF)
    g.relate("near", "far", strength=0.1, last_contact=AS_OF)
    report = stakemap.what_if(g, leaves=["mid"], as_of=AS_OF, max_hops=1)
    (acme,) = report.accounts
    assert acme.unreachable == ()  # far was never within one hop
    report = stakemap.what_if(g, leaves=["mid"], as_of=AS_OF, max_hops=2)
    (acme,) = report.accounts
    assert acme.unreachable == ()
    assert [(c.person, c.before, c.after) for c in acme.colder] == [
        ("far", pytest.approx(0.81), pytest.approx(0.09))]
    report = stakemap.what_if(g, leaves=["mid", "near"], as_of=AS_OF)
    (acme,) = report.accounts
    assert acme.unreachable == ("far",)


def test_both_backends_say_the_same(store: GraphStore) -> None:
    report = stakemap.what_if(_vendor(store), leaves=["marta-kowalski"], as_of=AS_OF)
    memory = stakemap.what_if(stakemap.load_portfolio(VENDOR), leaves=["marta-kowalski"],
                              as_of=AS_OF)
    assert report == memory


def test_whatif_command() -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["whatif", str(VENDOR), "--leaves", "marta-kowalski",
                                 "--as-of", "2026-11-01"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("if Marta Kowalski leaves")
    assert "no longer reachable within 4 hops" in result.stdout
    result = runner.invoke(cli, ["whatif", str(VENDOR), "--leaves", "marta-kowalski",
                                 "--as-of", "2026-11-01", "--format", "json"])
    assert json.loads(result.stdout)["leaves"] == ["marta-kowalski"]
    result = runner.invoke(cli, ["whatif", str(VENDOR), "--leaves", "nobody"])
    assert result.exit_code == 2
    assert "no person 'nobody'" in result.stderr


def test_a_what_if_leaves_the_graph_and_later_reports_as_they_were() -> None:
    """The memory store keeps its index between reports: a what-if must not change it, and a
    change to the graph must be seen by the next report."""
    graph = stakemap.load_portfolio(VENDOR)
    before = stakemap.find_gaps(graph, as_of=AS_OF)
    stakemap.what_if(graph, leaves=["marta-kowalski"], as_of=AS_OF)
    assert stakemap.find_gaps(graph, as_of=AS_OF) == before
    graph.relate("arjun-mehta", "chen-jing", last_contact=AS_OF)
    after = stakemap.find_gaps(graph, as_of=AS_OF)
    assert "single-threaded" in {f.code for f in before.findings}
    assert "single-threaded" not in {f.code for f in after.findings}
