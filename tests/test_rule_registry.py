"""The rule registry is complete: every rule type has an implementation on every backend, its
own wording and diagram tag, and a case plus a near miss in the per-rule tests; a rule type a
store lacks is a StakemapError at run time, never a KeyError."""

from __future__ import annotations

from datetime import date
from typing import Literal

import pytest

import stakemap
from stakemap.analysis.gaps import find_gaps
from stakemap.analysis.playbook import Playbook, load_playbook
from stakemap.backends import GraphStore
from stakemap.backends.memory_rules import RULES as MEMORY
from stakemap.backends.neo4j_rules import RULES as NEO4J
from stakemap.rules import RULE_TYPES, Implementations, RuleBase, RuleNotImplementedError
from tests.conftest import ROOT
from tests.test_gaps import CASES, RULES

BACKENDS = {"memory": MEMORY, "neo4j": NEO4J}


@pytest.mark.parametrize("backend", sorted(BACKENDS))
def test_every_rule_type_is_implemented_on_every_backend(backend: str) -> None:
    table = BACKENDS[backend]
    missing = [name for name, cls in RULE_TYPES.items() if cls not in table]
    assert missing == [], f"{backend} lacks {missing}"
    assert set(table) == set(RULE_TYPES.values())  # and implements nothing unregistered


@pytest.mark.parametrize("name", sorted(RULE_TYPES))
def test_every_rule_type_has_its_own_wording_and_tag(name: str) -> None:
    cls = RULE_TYPES[name]
    for hook in ("message", "advice", "tag"):
        assert getattr(cls, hook) is not getattr(RuleBase, hook), f"{name} has no {hook}"
    assert cls.__doc__, f"{name} says nothing about itself"
    assert cls.__doc__ != RuleBase.__doc__, f"{name} says nothing about itself"
    assert issubclass(cls.Detail, stakemap.rules.RuleDetail)


def test_every_rule_type_has_a_case_and_a_near_miss() -> None:
    book = load_playbook(RULES)
    type_of = {r.id: r.type for r in book.rules}
    assert {type_of[code] for code, *_ in CASES} == set(RULE_TYPES)
    for code, _, _, near_miss in CASES:
        assert callable(near_miss), f"case {code} has no near miss"


class _Unregistered(RuleBase):
    """A rule type no backend knows (say, a third party's, or one a backend lags behind)."""

    type: Literal["unregistered"] = "unregistered"


def test_a_missing_implementation_is_a_stakemap_error_naming_it() -> None:
    table: Implementations[object] = Implementations("example")
    with pytest.raises(RuleNotImplementedError, match="example store cannot evaluate rule "
                       "type 'unregistered'") as caught:
        table.for_rule(_Unregistered(id="x"))
    assert isinstance(caught.value, stakemap.StakemapError)
    assert not isinstance(caught.value, KeyError)


def test_find_gaps_refuses_a_rule_type_the_store_lacks_before_running_any(
        store: GraphStore) -> None:
    graph = stakemap.load_portfolio(ROOT / "examples" / "msp-operations.yaml", store)
    playbook = Playbook(name="mixed", rules=(*load_playbook("default").rules,
                                             _Unregistered(id="x")))
    with pytest.raises(RuleNotImplementedError, match="'unregistered' of playbook mixed"):
        find_gaps(graph, playbook=playbook, as_of=date(2026, 11, 1))


def test_registering_a_type_twice_is_refused() -> None:
    with pytest.raises(TypeError, match="implemented twice"):
        MEMORY.add(RULE_TYPES["unowned-service"], lambda *a: [])


def test_the_readme_lists_every_rule_type_with_its_parameters() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    common = set(RuleBase.model_fields)
    for name, cls in RULE_TYPES.items():
        assert f"`{name}`" in readme, f"README does not list rule type {name}"
        for parameter in set(cls.model_fields) - common:
            assert f"`{parameter}`" in readme, f"README does not name {name}'s {parameter}"
