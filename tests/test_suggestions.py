"""Suggestions for unknown references: right, the same as difflib, and from one index.

A file with thousands of misspelt references once took minutes because each reference was
compared with every id. The suggestions now come from ``SuggestionIndex``; these tests pin
that they are still the ones difflib gives and that a validation run builds the index once.
How fast it is, is shown by ``benchmarks/suite.py --only misspelt``, not here.
"""

from __future__ import annotations

import random

import pytest

from stakemap.errors import PortfolioError
from stakemap.files.load import parse_portfolio
from stakemap.model import integrity
from stakemap.model.enums import OrgKind
from stakemap.model.integrity import IdSuggester, check_node
from stakemap.model.nodes import NodeBase, Organization, Person
from stakemap.model.suggest import _SMALL, SuggestionIndex, closest

_FIRST = ("ada", "ben", "chen", "dana", "emil", "fatima", "goran", "hana", "ines", "jonas",
          "kenji", "lena", "mateo", "nora", "omar", "priya", "quinn", "rosa", "sven", "tariq")
_LAST = ("berg", "costa", "dubois", "eriksen", "fischer", "garcia", "haddad", "ivanova",
         "jensen", "kowalski", "mori", "nowak", "okafor", "patel", "rossi", "schmidt")


def _people_ids(count: int, rng: random.Random) -> list[str]:
    """Ids the way people write them: first-last, a number when the name is taken."""
    ids: list[str] = []
    seen: set[str] = set()
    while len(ids) < count:
        base = f"{rng.choice(_FIRST)}-{rng.choice(_LAST)}"
        candidate = base if base not in seen else f"{base}-{rng.randint(2, 9)}"
        if candidate not in seen:
            seen.add(candidate)
            ids.append(candidate)
    return ids


def _typo(word: str, rng: random.Random) -> str:
    """One to three slips: a letter dropped, added, replaced, or two swapped."""
    letters = "abcdefghijklmnopqrstuvwxyz-"
    for _ in range(rng.randint(1, 3)):
        i = rng.randrange(len(word))
        slip = rng.choice("dirs")
        if slip == "d" and len(word) > 2:
            word = word[:i] + word[i + 1:]
        elif slip == "i":
            word = word[:i] + rng.choice(letters) + word[i:]
        elif slip == "r":
            word = word[:i] + rng.choice(letters) + word[i + 1:]
        elif i < len(word) - 1:
            word = word[:i] + word[i + 1] + word[i] + word[i + 2:]
    return word


def _portfolio(people: list[str], *, org: str = "acme", manager: str | None = None,
               role: str | None = None) -> str:
    """A file with one organization and ``people``; the last reports to ``manager``."""
    lines = ["stakemap: 1", "organizations:", "  - {id: acme, name: Acme, type: provider}",
             "people:"]
    lines += [f"  - {{id: {p}, name: P, organization: acme}}" for p in people[:-1]]
    last = f"  - {{id: {people[-1]}, name: P, organization: {org}"
    last += f", reports_to: {manager}" if manager else ""
    last += f", roles: [{role}@acme]" if role else ""
    return "\n".join([*lines, last + "}"]) + "\n"


def _problems(text: str) -> list[str]:
    with pytest.raises(PortfolioError) as caught:
        parse_portfolio(text, "t.yaml")
    return [str(p) for p in caught.value.problems]


# -- in a file: the same messages as before, now through the index --------------------------

def test_misspelt_manager_among_many_people_is_suggested() -> None:
    people = _people_ids(_SMALL + 100, random.Random(1))
    meant = people[7]
    wrong = meant[:3] + meant[4] + meant[3] + meant[5:]  # two letters swapped
    (problem,) = _problems(_portfolio(people, manager=wrong))
    assert problem.endswith(f"unknown person '{wrong}'; did you mean '{meant}'?")


def test_misspelt_organization_is_suggested() -> None:
    (problem,) = _problems(_portfolio(["alice", "bob"], org="acmee"))
    assert problem.endswith("person 'bob': organization: unknown organization 'acmee'; "
                            "did you mean 'acme'?")


def test_misspelt_role_is_suggested() -> None:
    (problem,) = _problems(_portfolio(["alice", "bob"], role="acount-manager"))
    assert problem.endswith("unknown role 'acount-manager'; did you mean 'account-manager'?")


def test_no_suggestion_when_no_id_is_close() -> None:
    people = _people_ids(_SMALL + 100, random.Random(2))
    (problem,) = _problems(_portfolio(people, manager="zzzzqqqq-xxxx"))
    assert problem.endswith("unknown person 'zzzzqqqq-xxxx'; add a person with id "
                            "'zzzzqqqq-xxxx'")


def test_a_file_builds_one_index_per_kind_of_reference(monkeypatch: pytest.MonkeyPatch
                                                      ) -> None:
    built: list[int] = []

    class Counted(SuggestionIndex):
        def __init__(self, candidates: list[str]) -> None:
            built.append(1)
            super().__init__(candidates)

    monkeypatch.setattr(integrity, "SuggestionIndex", Counted)
    people = _people_ids(_SMALL + 100, random.Random(3))
    lines = ["organizations:", "  - {id: acme, name: Acme, type: provider}", "people:"]
    lines += [f"  - {{id: {p}, name: P, organization: acmee, reports_to: {p}x}}"
              for p in people]
    problems = _problems("\n".join(lines) + "\n")
    assert len(problems) == 2 * len(people)  # every organization and every manager is wrong
    assert all("did you mean" in p for p in problems)
    assert len(built) == 2  # organizations once, people once; not once per reference


def test_one_reference_on_its_own_still_gets_a_suggestion() -> None:
    """The graph's verbs check one node at a time, with no suggester: a plain scan."""
    nodes: dict[str, NodeBase] = {"acme": Organization(id="acme", name="A",
                                                       type=OrgKind.PROVIDER)}
    (violation,) = check_node(Person(id="bob", name="B", organization="acmee"), nodes)
    assert violation.hint == "did you mean 'acme'?"


def test_a_suggester_of_other_nodes_is_not_trusted() -> None:
    acme = Organization(id="acme", name="A", type=OrgKind.PROVIDER)
    other = IdSuggester({"globex": Organization(id="globex", name="G",
                                                type=OrgKind.PROVIDER)})
    person = Person(id="bob", name="B", organization="acmee")
    (violation,) = check_node(person, {"acme": acme}, other)
    assert violation.hint == "did you mean 'acme'?"


# -- the index against difflib ----------------------------------------------------------------

def test_index_agrees_with_difflib_on_typos() -> None:
    rng = random.Random(20261123)
    ids = _people_ids(600, rng)
    index = SuggestionIndex(ids)
    words = [_typo(rng.choice(ids), rng) for _ in range(300)]
    got = [index.closest(w) for w in words]
    want = [closest(w, ids) for w in words]
    assert len(index) > _SMALL  # the index answered, not the plain scan for small sets
    assert sum(g is not None for g in got) > 200
    assert got == want


def test_index_agrees_with_difflib_when_nothing_is_close() -> None:
    rng = random.Random(7)
    ids = _people_ids(600, rng)
    index = SuggestionIndex(ids)
    words = ["".join(rng.choice("xqzjvw0123456789") for _ in range(rng.randint(1, 20)))
             for _ in range(200)]
    assert [index.closest(w) for w in words] == [closest(w, ids) for w in words]
    assert index.closest("xqzjv") is None


def test_index_breaks_ties_as_difflib_does() -> None:
    """Equally close ids: difflib suggests the greatest string; so does the index."""
    ids = [*_people_ids(_SMALL + 50, random.Random(4)), "alice-smith-a", "alice-smith-b"]
    assert closest("alice-smith-", ids) == "alice-smith-b"
    assert SuggestionIndex(ids).closest("alice-smith-") == "alice-smith-b"
    assert SuggestionIndex(reversed(ids)).closest("alice-smith-") == "alice-smith-b"


def test_small_sets_are_difflib_exactly() -> None:
    assert SuggestionIndex(["ab", "ac"]).closest("a") == closest("a", ["ab", "ac"]) == "ac"
    assert SuggestionIndex([]).closest("a") is None
    assert SuggestionIndex(["title", "name"]).closest("titel") == "title"
