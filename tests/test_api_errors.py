"""Misusing the Python API raises a ``StakemapError`` that names the argument.

Every misuse here once surfaced as pydantic's ``ValidationError`` or a bare ``TypeError``
from deep inside; a caller catching ``StakemapError`` missed them and the message named model
internals. Each error must also be the builtin it resembles, so ``except ValueError`` code
keeps working.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import pydantic
import pytest

import stakemap

Misuse = Callable[[stakemap.StakeholderGraph], Any]


@pytest.fixture
def graph() -> stakemap.StakeholderGraph:
    """A provider, a customer and two people: enough for every verb to get past lookups."""
    graph = stakemap.connect()
    graph.add_organization("us", "Us", type="provider")
    graph.add_customer("nw", "Northwind")
    graph.add_person("ann", "Ann", organization="nw")
    graph.add_person("bob", "Bob", organization="nw")
    return graph


GRAPH_MISUSES: list[tuple[str, Misuse, tuple[str, ...]]] = [
    ("influence out of range",
     lambda g: g.add_person("p", "P", organization="nw", influence=9),
     ("add_person: influence is 9", "from 1 to 5")),
    ("interest below range",
     lambda g: g.add_person("p", "P", organization="nw", interest=0),
     ("add_person: interest is 0", "from 1 to 5")),
    ("unknown stance",
     lambda g: g.add_person("p", "P", organization="nw", stance="fan"),
     ("add_person: stance 'fan' is not one of: champion, supporter, neutral, skeptic, "
      "blocker",)),
    ("unknown status",
     lambda g: g.add_person("p", "P", organization="nw", status="gone"),
     ("add_person: status 'gone'", "active, left")),
    ("empty id", lambda g: g.add_person("", "P", organization="nw"),
     ("add_person: id must not be empty",)),
    ("blank id", lambda g: g.add_person("  ", "P", organization="nw"),
     ("add_person: id must not be empty",)),
    ("id not text", lambda g: g.add_person(42, "P", organization="nw"),  # type: ignore[arg-type]
     ("add_person: id should be text",)),
    ("empty name", lambda g: g.add_person("p", "", organization="nw"),
     ("add_person: name must not be empty",)),
    ("unknown organization type",
     lambda g: g.add_organization("x", "X", type="vendor"),
     ("add_organization: type 'vendor' is not one of: provider, customer, partner",)),
    ("unknown phase", lambda g: g.add_customer("c", "C", phase="dating"),
     ("add_organization: phase 'dating'", "buying")),
    ("strength out of range", lambda g: g.relate("ann", "bob", strength=2),
     ("relate: strength is 2; use a number from 0.0 to 1.0",)),
    ("strength not a number", lambda g: g.relate("ann", "bob", strength="x"),  # type: ignore[arg-type]
     ("relate: strength should be a number",)),
    ("unknown sentiment", lambda g: g.relate("ann", "bob", sentiment="meh"),
     ("relate: sentiment 'meh'",)),
    ("since not a date",
     lambda g: g.assign_role("ann", "exec-sponsor", at="nw", since="yesterday"),
     ("assign_role: since 'yesterday' is not a date", "YYYY-MM-DD")),
    ("empty role endpoint", lambda g: g.assign_role("", "exec-sponsor", at="nw"),
     ("assign_role: person must not be empty",)),
    ("meeting day not a date", lambda g: g.add_meeting("m", "M", on="soon"),
     ("add_meeting: on 'soon' is not a date",)),
    ("unknown report line", lambda g: g.report_to("ann", "bob", line="wavy"),
     ("report_to: line 'wavy' is not one of: solid, dotted",)),
    ("unknown authority scope", lambda g: g.grant_authority("ann", "everything", over="nw"),
     ("grant_authority: scope 'everything'",)),
    ("parties as one string", lambda g: g.add_agreement("a", "A", parties="nw"),
     ("add_agreement: parties is the text 'nw'", "pass a list")),
]


@pytest.mark.parametrize(("misuse", "expected"),
                         [pytest.param(m, e, id=name) for name, m, e in GRAPH_MISUSES])
def test_graph_verb_misuse_is_a_graph_error_naming_the_argument(
        graph: stakemap.StakeholderGraph, misuse: Misuse, expected: tuple[str, ...]) -> None:
    with pytest.raises(stakemap.GraphError) as caught:
        misuse(graph)
    err = caught.value
    assert isinstance(err, stakemap.StakemapError)
    assert isinstance(err, ValueError)
    assert not isinstance(err, pydantic.ValidationError)
    assert "\n" not in str(err)
    for part in expected:
        assert part in str(err)


def test_the_pydantic_error_stays_chained(graph: stakemap.StakeholderGraph) -> None:
    with pytest.raises(stakemap.GraphError) as caught:
        graph.add_person("p", "P", organization="nw", influence=9)
    assert isinstance(caught.value.__cause__, pydantic.ValidationError)


def test_a_refused_verb_writes_nothing(graph: stakemap.StakeholderGraph) -> None:
    with pytest.raises(stakemap.GraphError):
        graph.add_person("p", "P", organization="nw", influence=9)
    assert not graph.store.has_node("p")


def test_existing_ids_are_still_refused(graph: stakemap.StakeholderGraph) -> None:
    with pytest.raises(stakemap.GraphError, match="already exists"):
        graph.add_person("ann", "Ann", organization="nw")


CALL_MISUSES: list[tuple[str, Misuse, type[Exception], tuple[str, ...]]] = [
    ("as_of as text", lambda g: stakemap.find_gaps(g, as_of="2026-11-01"),  # type: ignore[arg-type]
     TypeError, ("find_gaps: as_of should be a datetime.date", "fromisoformat")),
    ("as_of as datetime",
     lambda g: stakemap.find_gaps(g, as_of=datetime(2026, 11, 1, 9, 30)),
     TypeError, ("find_gaps: as_of is a datetime", ".date()")),
    ("playbook a number", lambda g: stakemap.find_gaps(g, playbook=42),  # type: ignore[arg-type]
     TypeError, ("find_gaps: playbook should be a Playbook",)),
    ("customers a bare string", lambda g: stakemap.find_gaps(g, customers="nw"),
     TypeError, ("find_gaps: customers is the text 'nw'", "customers=['nw']")),
    ("only a bare string", lambda g: stakemap.find_gaps(g, only="GAP-001"),
     TypeError, ("find_gaps: only is the text",)),
    ("ignore a number", lambda g: stakemap.find_gaps(g, ignore=7),  # type: ignore[arg-type]
     TypeError, ("find_gaps: ignore should be a list of strings",)),
    ("customers holding a number", lambda g: stakemap.find_gaps(g, customers=[1]),  # type: ignore[list-item]
     TypeError, ("find_gaps: customers should hold strings only",)),
    ("load from None", lambda g: stakemap.load_portfolio(None),  # type: ignore[arg-type]
     TypeError, ("load_portfolio: path should be a file path",)),
    ("load from a number", lambda g: stakemap.load_portfolio(3),  # type: ignore[arg-type]
     TypeError, ("load_portfolio: path",)),
    ("load from empty text", lambda g: stakemap.load_portfolio(""),
     ValueError, ("load_portfolio: path is empty",)),
    ("save to None", lambda g: stakemap.save_portfolio(g, None),  # type: ignore[arg-type]
     TypeError, ("save_portfolio: path should be a file path",)),
    ("save something else", lambda g: stakemap.save_portfolio(42, "x.json"),  # type: ignore[arg-type]
     TypeError, ("save_portfolio: source should be a StakeholderGraph",)),
    ("connect to a number", lambda g: stakemap.connect(42),
     ValueError, ("cannot open a store from int", "URL")),
]


@pytest.mark.parametrize(("misuse", "builtin", "expected"),
                         [pytest.param(m, b, e, id=name) for name, m, b, e in CALL_MISUSES])
def test_api_call_misuse_is_a_stakemap_error_naming_the_argument(
        graph: stakemap.StakeholderGraph, misuse: Misuse, builtin: type[Exception],
        expected: tuple[str, ...]) -> None:
    with pytest.raises(stakemap.StakemapError) as caught:
        misuse(graph)
    err = caught.value
    assert isinstance(err, builtin)
    assert isinstance(err, ValueError)  # every one is also a ValueError (UsageError's base)
    assert not isinstance(err, pydantic.ValidationError)
    assert "\n" not in str(err)
    for part in expected:
        assert part in str(err)


def test_find_gaps_still_takes_what_it_documents(graph: stakemap.StakeholderGraph) -> None:
    """The checks refuse only misuse: a date, tuples, sets and a list of playbook names pass."""
    report = stakemap.find_gaps(graph, as_of=date(2026, 11, 1), customers=(), only=set(),
                                ignore=[], playbook=["default"])
    assert report.as_of == date(2026, 11, 1)
