"""load -> graph -> save -> load gives an identical graph, for generated portfolios."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import stakemap
from stakemap.files.load import parse_portfolio
from stakemap.files.save import dump_portfolio
from stakemap.model import (
    AuthorityScope,
    DecisionAuthority,
    HoldsRole,
    Phase,
    Portfolio,
    Relationship,
    ReportsTo,
)
from stakemap.model.edges import EdgeBase
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
    (tmp_path / "dir.yaml").mkdir()
    with pytest.raises(IsADirectoryError):  # a directory cannot be replaced by a file
        stakemap.save_portfolio(graph, tmp_path / "dir.yaml")
    assert target.read_text() == "stakemap: 1\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dir.yaml", "p.yaml"]


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


# -- edge keys: injective, and unchanged for ordinary ids -------------------------------------
_KEY_TEXT = st.text(alphabet=st.sampled_from(["a", "b", "\x1f", "\x1e", "\\", "_", " "]),
                    min_size=1, max_size=6).map(str.strip).filter(bool)
"""Ids built from the separator, the escape character, a backslash and what follows an
escape: the characters an encoding could confuse."""


def _old_key(edge: EdgeBase) -> str:
    """How keys were derived before ids were escaped in them (what Neo4j stores hold)."""
    return "\x1f".join((edge.kind, edge.source, edge.target, *edge._key_parts()))


def _identity(edge: EdgeBase) -> tuple[str, ...]:
    return (edge.kind, edge.source, edge.target, *edge._key_parts())


_KEYED = st.one_of(
    st.builds(lambda s, t, r, p: HoldsRole(source=s, target=t, role=r, phase=p),
              _KEY_TEXT, _KEY_TEXT, _KEY_TEXT, st.none() | st.sampled_from(list(Phase))),
    st.builds(lambda s, t: ReportsTo(source=s, target=t), _KEY_TEXT, _KEY_TEXT),
    st.builds(lambda s, t, c: DecisionAuthority(source=s, target=t, scope=c),
              _KEY_TEXT, _KEY_TEXT, st.sampled_from(list(AuthorityScope))),
)


@settings(max_examples=500)
@given(a=_KEYED, b=_KEYED)
def test_edge_keys_are_equal_exactly_when_the_identifying_parts_are(
        a: EdgeBase, b: EdgeBase) -> None:
    assert (a.key == b.key) == (_identity(a) == _identity(b))


def test_ids_holding_the_separator_no_longer_collide() -> None:
    a = HoldsRole(source="p", target="x\x1fy", role="z")
    b = HoldsRole(source="p\x1fx", target="y", role="z")
    assert _old_key(a) == _old_key(b)  # the collision the escaping removes
    assert a.key != b.key
    assert Relationship(source="a\x1fb", target="c").key \
        != Relationship(source="a", target="b\x1fc").key


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_keys_of_ordinary_ids_are_what_earlier_versions_stored(example: Path) -> None:
    edges = stakemap.read_portfolio(example).edges
    assert edges
    assert [e.key for e in edges] == [_old_key(e) for e in edges]
    backslash = HoldsRole(source="DOMAIN\\ann", target="a\\b", role="r\\1")
    assert backslash.key == _old_key(backslash)  # a backslash is ordinary text, not an escape


def test_a_file_with_ids_holding_the_separator_loads_every_relationship() -> None:
    text = json.dumps({
        "stakemap": 1,
        "organizations": [{"id": "o", "name": "O", "type": "provider"}],
        "people": [{"id": i, "name": "P", "organization": "o"}
                   for i in ("a", "b", "a\x1fb", "c", "b\x1fc")],
        "relationships": [{"between": ["a\x1fb", "c"]}, {"between": ["a", "b\x1fc"]}],
    })
    portfolio = parse_portfolio(text, "x.json")  # no false "duplicate relationship"
    assert len(portfolio.edges) == 2
    graph = stakemap.StakeholderGraph.from_portfolio(portfolio)
    graph.relate("a", "b", strength=0.1)
    graph.relate("a\x1fb", "c", strength=0.9)
    assert len(graph.snapshot().edges) == 3


def test_external_ids_are_kept_in_yaml_and_json_and_left_out_when_empty(tmp_path: Path) -> None:
    text = ("stakemap: 2\norganizations:\n- {id: acme, name: Acme, type: customer, "
            "external_ids: {salesforce: 001A}}\npeople:\n- {id: ann, name: Ann, "
            "organization: acme, external_ids: {salesforce: 003B, hubspot: '42'}}\n"
            "- {id: bo, name: Bo, organization: acme}\n")
    source = tmp_path / "crm.yaml"
    source.write_text(text, encoding="utf-8")
    graph = stakemap.load_portfolio(source)
    assert dict(graph.store.get_node("ann").external_ids) == {"salesforce": "003B",
                                                              "hubspot": "42"}
    for suffix in ("yaml", "json"):
        saved = tmp_path / f"saved.{suffix}"
        stakemap.save_portfolio(graph, saved)
        written = saved.read_text(encoding="utf-8")
        assert written.count("external_ids") == 2  # acme and ann; bo has none
        again = stakemap.load_portfolio(saved)
        assert again.store.get_node("acme") == graph.store.get_node("acme")
        assert again.store.get_node("ann") == graph.store.get_node("ann")
