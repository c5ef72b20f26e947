"""load -> graph -> save -> load gives an identical graph, for generated portfolios."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

import stakemap
from stakemap.files.load import parse_portfolio
from stakemap.files.save import dump_portfolio
from stakemap.model import Portfolio
from tests.conftest import EXAMPLES
from tests.strategies import portfolios


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(portfolio=portfolios())
def test_generated_portfolio_survives_file_round_trip(portfolio: Portfolio, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        first = Path(tmp) / f"first{suffix}"
        second = Path(tmp) / f"second{suffix}"
        stakemap.save_portfolio(stakemap.StakeholderGraph.from_portfolio(portfolio), first)
        graph = stakemap.load_portfolio(first)
        assert graph.snapshot() == portfolio
        stakemap.save_portfolio(graph, second)
        assert stakemap.load_portfolio(second).snapshot() == portfolio
        assert first.read_text(encoding="utf-8") == second.read_text(encoding="utf-8")


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_examples_round_trip_through_both_formats(example: Path) -> None:
    original = stakemap.load_portfolio(example).snapshot()
    for json_format in (False, True):
        text = dump_portfolio(original, json_format=json_format)
        name = "x.json" if json_format else "x.yaml"
        assert parse_portfolio(text, name) == original


def test_failed_save_leaves_the_old_file_intact(tmp_path: Path) -> None:
    target = tmp_path / "p.yaml"
    target.write_text("stakemap: 1\n")
    graph = stakemap.connect()
    graph.add_organization("acme", "Acme", type="provider")
    (tmp_path / "p.yaml.dir").mkdir()
    with pytest.raises(IsADirectoryError):  # a directory cannot be replaced by a file
        stakemap.save_portfolio(graph, tmp_path / "p.yaml.dir")
    assert target.read_text() == "stakemap: 1\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.yaml", "p.yaml.dir"]


def test_saved_files_get_ordinary_permissions_and_keep_an_existing_files(
        tmp_path: Path) -> None:
    graph = stakemap.connect()
    graph.add_organization("acme", "Acme", type="provider")
    umask = os.umask(0o022)
    try:
        fresh = tmp_path / "new.yaml"
        stakemap.save_portfolio(graph, fresh)
        assert fresh.stat().st_mode & 0o777 == 0o644  # not mkstemp's 0600
        kept = tmp_path / "kept.yaml"
        kept.write_text("stakemap: 1\n")
        kept.chmod(0o640)
        stakemap.save_portfolio(graph, kept)
        assert kept.stat().st_mode & 0o777 == 0o640
    finally:
        os.umask(umask)
