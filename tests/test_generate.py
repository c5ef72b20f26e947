"""The portfolio generator: deterministic, the advertised shape, and gaps planted at the
rates it reports, which the gap analysis then finds exactly, on both backends."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from stakemap_cli.app import cli

import stakemap
from stakemap.backends import GraphStore
from stakemap.files.save import dump_portfolio
from stakemap.generate import GapRates, GeneratorSpec, generate
from stakemap.model.enums import NodeKind

S = GeneratorSpec(customers=10, seed=5)


def test_same_seed_same_portfolio_other_seed_another() -> None:
    first = dump_portfolio(generate(S).portfolio, json_format=True)
    assert dump_portfolio(generate(S).portfolio, json_format=True) == first
    assert dump_portfolio(generate(replace(S, seed=6)).portfolio, json_format=True) != first


def test_size_s_has_the_advertised_shape() -> None:
    portfolio = generate(S).portfolio
    people = [n for n in portfolio.nodes if n.kind is NodeKind.PERSON]
    assert 480 <= len(people) <= 520  # S = 10 customers / 500 people
    assert len(portfolio.edges) / len(people) >= 9  # L: about half a million edges
    kinds = {e.kind.value for e in portfolio.edges}
    assert {"reports_to", "holds_role", "relationship", "owns", "consumes", "attended",
            "decision_authority", "party_to", "provides"} <= kinds
    dotted = [e for e in portfolio.edges if e.kind.value == "reports_to"
              and getattr(e, "line", None) is not None and e.line.value == "dotted"]
    assert dotted  # org charts with dotted lines, as in real ones


def test_rates_are_obeyed_at_the_extremes() -> None:
    none = generate(replace(S, gaps=GapRates(0, 0, 0, 0, 0)))
    assert all(not planted for planted in none.planted.values())
    every = generate(replace(S, gaps=GapRates(1, 1, 1, 1, 1)))
    assert [(code, n) for code, n, out_of in every.summary() if n != out_of] == []
    assert {c: o for c, _, o in every.summary()} == {
        "executive-sponsor-missing": 10, "unowned-service": 40,
        "uncovered-decision-maker": 10, "agreement-review-overdue": 10,
        "left-but-holds-role": 420}


@pytest.mark.parametrize("seed", [1, 2])
def test_gap_analysis_finds_exactly_the_planted_gaps(store: GraphStore, seed: int) -> None:
    generated = generate(replace(S, seed=seed, gaps=GapRates(0.3, 0.2, 0.3, 0.3, 0.05)))
    graph = stakemap.StakeholderGraph.from_portfolio(generated.portfolio, store)
    report = stakemap.find_gaps(graph, as_of=S.as_of)
    assert sum(len(p) for p in generated.planted.values()) > 20
    for code, planted in generated.planted.items():
        found = {(f.subject, f.customer) for f in report.findings if f.code == code}
        assert found == planted, code


def test_cli_generate_writes_a_valid_file_and_reports_the_planted_rates(tmp_path: Path) -> None:
    out = tmp_path / "s.json"
    result = CliRunner().invoke(cli, ["generate", "--customers", "3", "--seed", "2",
                                      "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    assert "planted executive-sponsor-missing:" in result.stderr
    assert re.search(r"  planted left-but-holds-role: \d+ of 126 \(\d+\.\d%\)", result.stderr)
    document = json.loads(out.read_text(encoding="utf-8"))
    assert len(document["people"]) > 100
    assert CliRunner().invoke(cli, ["validate", str(out)]).exit_code == 0
    again = CliRunner().invoke(cli, ["generate", "--customers", "3", "--seed", "2", "-o", "-"])
    assert again.stdout.startswith("stakemap: 2")


def test_progress_counts_customers_like_every_other_progress_callback() -> None:
    calls: list[tuple[int, int]] = []
    generate(replace(S, customers=3), progress=lambda done, total: calls.append((done, total)))
    assert calls == [(1, 3), (2, 3), (3, 3)]
