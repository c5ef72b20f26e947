"""Format version 2: leavers' dates, dated assessments, agreement terms, meeting types,
directed ties and an optional relationship strength. Each new rule has a case and a near
miss, located in the file; version 1 files load unchanged; ``stakemap migrate``."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from stakemap_cli.app import cli

import stakemap
from stakemap.errors import PortfolioError
from stakemap.files.load import parse_portfolio
from stakemap.files.save import dump_portfolio
from stakemap.model import (
    Agreement,
    Assessment,
    DirectedTie,
    MeetingKind,
    Person,
    PersonStatus,
    Portfolio,
    Relationship,
    TieType,
)
from tests.conftest import EXAMPLES

HEAD = """\
stakemap: 2
organizations:
  - {id: us, name: Us, type: provider}
  - {id: nw, name: Northwind, type: customer}
people:
  - {id: ann, name: Ann, organization: us}
  - {id: chen, name: Chen, organization: nw}
"""


def load(text: str, name: str = "p.yaml") -> Portfolio:
    return parse_portfolio(text, name)


def problems(text: str, name: str = "p.yaml") -> list[str]:
    with pytest.raises(PortfolioError) as caught:
        parse_portfolio(text, name)
    return [str(p) for p in caught.value.problems]


def node(portfolio: Portfolio, node_id: str) -> Any:
    return next(n for n in portfolio.nodes if n.id == node_id)


# -- people who left ---------------------------------------------------------------------------

def test_left_on_implies_status_left() -> None:
    portfolio = load(HEAD + "  - {id: otto, name: Otto, organization: nw, left_on: 2026-06-30}\n")
    otto = node(portfolio, "otto")
    assert (otto.status, otto.left_on) == (PersonStatus.LEFT, date(2026, 6, 30))
    both = load(HEAD + "  - {id: otto, name: Otto, organization: nw, status: left, "
                       "left_on: 2026-06-30}\n")
    assert node(both, "otto") == otto


def test_left_on_with_status_active_is_located() -> None:
    text = HEAD + ("  - {id: otto, name: Otto, organization: nw, status: active, "
                   "left_on: 2026-06-30}\n")
    assert problems(text) == [
        "p.yaml:8:54: person 'otto' is 'status: active' but left on 2026-06-30 (left_on); "
        "remove 'status' (left_on implies status: left) or remove 'left_on'"]
    near_miss = HEAD + "  - {id: otto, name: Otto, organization: nw, status: active}\n"
    assert node(load(near_miss), "otto").left_on is None


def test_active_on() -> None:
    left = Person(id="o", name="O", organization="nw", left_on=date(2026, 6, 30))
    assert left.active_on(date(2026, 6, 29))
    assert not left.active_on(date(2026, 6, 30))
    assert not left.active_on(date(2027, 1, 1))
    assert Person(id="a", name="A", organization="nw").active_on(date(2030, 1, 1))
    undated = Person(id="u", name="U", organization="nw", status="left")
    assert not undated.active_on(date(2000, 1, 1))


# -- dated assessments -------------------------------------------------------------------------

ASSESSED = HEAD + """\
  - id: li
    name: Li
    organization: nw
    assessments:
      - {on: 2026-09-15, by: Ingrid, stance: neutral, interest: 3}
      - {on: 2026-03-10, by: Tom, stance: skeptic, influence: 5, interest: 2}
"""


def test_the_latest_assessment_that_sets_a_field_is_current() -> None:
    li = node(load(ASSESSED), "li")
    assert (li.stance, li.influence, li.interest) == ("neutral", 5, 3)
    assert [a.on for a in li.assessments] == [date(2026, 3, 10), date(2026, 9, 15)]  # sorted
    assert li.assessments[0] == Assessment(on=date(2026, 3, 10), by="Tom", stance="skeptic",
                                           influence=5, interest=2)


def test_a_top_level_rating_that_disagrees_with_the_latest_assessment_is_located() -> None:
    text = ASSESSED.replace("    organization: nw\n    assessments:",
                            "    organization: nw\n    stance: champion\n    influence: 5\n"
                            "    assessments:")
    assert problems(text) == [
        "p.yaml:11:13: person 'li': stance is 'champion', but the latest assessment of it "
        "(2026-09-15 by Ingrid) says 'neutral'; remove 'stance' here (the latest assessment "
        "gives it) or add a newer assessment"]
    agreeing = text.replace("stance: champion", "stance: neutral")
    assert node(load(agreeing), "li") == node(load(ASSESSED), "li")


def test_a_rating_no_assessment_sets_is_kept() -> None:
    text = ASSESSED.replace("    organization: nw\n", "    organization: nw\n    influence: 2\n",
                            1).replace("influence: 5, ", "")
    li = node(load(text), "li")
    assert (li.stance, li.influence, li.interest) == ("neutral", 2, 3)


def test_assessment_problems_are_located() -> None:
    text = HEAD + """\
  - id: li
    name: Li
    organization: nw
    assessments:
      - {on: 2026-09-15, influence: 9}
      - {on: 2026-09-16}
      - {by: Tom, stance: skeptic}
      - {on: 2026-09-17, stance: fan}
"""
    assert problems(text) == [
        "p.yaml:12:37: person 'li': assessments[1].influence is 9, outside its range; "
        "use a value from 1 to 5",
        "p.yaml:13:9: person 'li': an assessment sets at least one of stance, influence or "
        "interest; add one or remove the assessment",
        "p.yaml:14:9: person 'li': missing required field 'on'; add 'on: ...' to this entry",
        "p.yaml:15:34: person 'li': assessments[4].stance 'fan' is not allowed; use one of: "
        "'champion', 'supporter', 'neutral', 'skeptic' or 'blocker'",
    ]


@pytest.mark.parametrize("key", ["on", "'on'", '"on"'])
def test_on_may_be_written_bare_or_quoted_in_yaml(key: str) -> None:
    text = HEAD + (f"  - {{id: li, name: Li, organization: nw, "
                   f"assessments: [{{{key}: 2026-01-02, stance: neutral}}]}}\n")
    assert node(load(text), "li").assessments[0].on == date(2026, 1, 2)


def test_a_saved_person_states_what_assessments_and_left_on_imply_once() -> None:
    text = ASSESSED.replace("    organization: nw\n", "    organization: nw\n"
                            "    left_on: 2026-10-01\n", 1)
    portfolio = load(text)
    saved = dump_portfolio(portfolio)
    li = next(p for p in yaml.safe_load(saved)["people"] if p["id"] == "li")
    assert "stance" not in li
    assert "influence" not in li
    assert "status" not in li
    assert li["left_on"] == date(2026, 10, 1)
    assert load(saved) == portfolio
    assert parse_portfolio(dump_portfolio(portfolio, json_format=True), "p.json") == portfolio


# -- agreements --------------------------------------------------------------------------------

def test_agreement_terms_and_notice() -> None:
    text = HEAD + ("agreements:\n  - {id: msa, name: MSA, starts: 2025-01-01, ends: 2027-12-31, "
                   "renewal: 2027-12-31, notice_days: 90, parties: [us, nw]}\n")
    msa = node(load(text), "msa")
    assert (msa.starts, msa.ends, msa.renewal, msa.notice_days) == (
        date(2025, 1, 1), date(2027, 12, 31), date(2027, 12, 31), 90)
    assert msa.notice_opens() == date(2027, 10, 2)
    assert Agreement(id="a", name="A", renewal=date(2027, 1, 1)).notice_opens() is None
    assert Agreement(id="a", name="A", notice_days=30).notice_opens() is None
    assert Agreement(id="a", name="A", renewal=date(2027, 1, 1),
                     notice_days=0).notice_opens() == date(2027, 1, 1)


def test_an_agreement_that_ends_before_it_starts_is_located() -> None:
    text = HEAD + ("agreements:\n  - {id: msa, name: MSA, starts: 2028-01-01, ends: 2027-12-31,"
                   " notice_days: -1}\n")
    assert problems(text) == [
        "p.yaml:9:34: agreement 'msa' starts (2028-01-01) after it ends (2027-12-31); swap "
        "the dates or remove one",
        "p.yaml:9:77: agreement 'msa': notice_days is -1, outside its range; use a value "
        "from 0 to 36500",
    ]
    same_day = text.replace("2028-01-01", "2027-12-31").replace("-1}", "0}")
    assert node(load(same_day), "msa").starts == date(2027, 12, 31)


# -- meetings ----------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", list(MeetingKind))
def test_every_meeting_type_loads(kind: MeetingKind) -> None:
    text = HEAD + f"meetings:\n  - {{id: m, name: M, date: 2026-10-01, type: {kind.value}}}\n"
    assert node(load(text), "m").type is kind


def test_the_first_versions_meeting_types_still_load_and_others_are_refused() -> None:
    assert {"change", "follow-up", "other"} <= {k.value for k in MeetingKind}
    text = HEAD + "meetings:\n  - {id: m, name: M, date: 2026-10-01, type: qbrr}\n"
    (problem,) = problems(text)
    assert problem.startswith("p.yaml:9:46: meeting 'm': type 'qbrr' is not allowed; use one "
                              "of: 'qbr', 'ebr', 'workshop', 'escalation', 'steering', ")


# -- relationships: optional strength, directed ties -------------------------------------------

def test_a_relationship_without_strength_loads_as_not_declared_and_saves_without() -> None:
    text = HEAD + "relationships:\n  - {between: [chen, ann]}\n"
    portfolio = load(text)
    (edge,) = portfolio.edges
    assert isinstance(edge, Relationship)
    assert edge.strength is None
    saved = yaml.safe_load(dump_portfolio(portfolio))
    assert saved["relationships"] == [{"between": ["ann", "chen"]}]
    declared = load(text.replace("]}", "], strength: 0.5}"))
    assert yaml.safe_load(dump_portfolio(declared))["relationships"] == [
        {"between": ["ann", "chen"], "strength": 0.5}]


def test_directed_ties_keep_direction_and_type() -> None:
    text = HEAD + """\
relationships:
  - {from: chen, to: ann, type: influences, strength: 0.7, since: 2025-05-01, notes: Old boss}
  - {from: ann, to: chen, type: influences}
  - {from: chen, to: ann, type: conflicts-with}
  - {between: [chen, ann], strength: 0.4}
"""
    portfolio = load(text)
    ties = [e for e in portfolio.edges if isinstance(e, DirectedTie)]
    assert {(t.source, t.target, t.type) for t in ties} == {
        ("chen", "ann", TieType.INFLUENCES), ("ann", "chen", TieType.INFLUENCES),
        ("chen", "ann", TieType.CONFLICTS_WITH)}
    first = next(t for t in ties if t.source == "chen" and t.type is TieType.INFLUENCES)
    assert (first.strength, first.since, first.notes) == (0.7, date(2025, 5, 1), "Old boss")
    saved = dump_portfolio(portfolio)
    assert "- from: chen\n  to: ann\n  type: influences\n" in saved
    assert load(saved) == portfolio


def test_directed_tie_problems_are_located_all_at_once() -> None:
    text = HEAD + """\
relationships:
  - {from: ann, to: ann, type: influences}
  - {from: ann, to: chn, type: influences}
  - {from: ann, to: nw, type: reports-informally-to}
  - {from: ann, to: chen, type: likes}
  - {from: ann, to: chen}
  - {from: ann, to: chen, type: influences, sentiment: positive}
  - {between: [ann, chen], type: influences}
  - {strength: 0.3}
  - {from: ann, to: chen, type: influences, strength: 2}
  - {from: chen, to: ann, type: influences}
  - {from: chen, to: ann, type: influences}
"""
    assert problems(text) == [
        "p.yaml:9:21: directed tie joins 'ann' to themselves; name two different people",
        "p.yaml:10:21: directed tie 'ann' -> 'chn': unknown person 'chn'; did you mean "
        "'chen'?",
        "p.yaml:11:21: directed tie 'ann' -> 'nw': 'nw' is an organization, not a person",
        "p.yaml:12:33: relationship from 'ann' to 'chen': type 'likes' is not allowed; use "
        "one of: 'influences', 'reports-informally-to' or 'conflicts-with'",
        "p.yaml:13:5: relationship from 'ann' to 'chen': a directed tie needs 'type' too; "
        "write {between: [a, b]} for two people who know each other, or {from: a, to: b, "
        "type: influences} for a directed tie",
        "p.yaml:14:5: relationship from 'ann' to 'chen': a directed tie has no sentiment (only "
        "undirected relationships do); remove it, or write the relationship as "
        "{between: [a, b]}",
        "p.yaml:15:5: relationship between 'ann' and 'chen': a relationship with 'between' is "
        "undirected and has no type; write {between: [a, b]} for two people who know each "
        "other, or {from: a, to: b, type: influences} for a directed tie",
        "p.yaml:16:5: relationships entry 8: a relationship needs 'between' or 'from' and "
        "'to'; write {between: [a, b]} for two people who know each other, or {from: a, to: "
        "b, type: influences} for a directed tie",
        "p.yaml:17:55: relationship from 'ann' to 'chen': strength is 2, outside its range; "
        "use a value from 0.0 to 1.0",
        "p.yaml:19:5: duplicate directed tie 'chen' -> 'ann' (first at line 18); remove one "
        "of them",
    ]


def test_the_near_misses_of_directed_ties_load() -> None:
    text = HEAD + """\
relationships:
  - {from: ann, to: chen, type: reports-informally-to}
  - {from: chen, to: ann, type: reports-informally-to}
  - {between: [ann, chen], sentiment: positive, last_contact: 2026-10-01}
"""
    assert len(load(text).edges) == 3


# -- versions ----------------------------------------------------------------------------------

def test_a_version_1_file_loads_and_is_saved_as_version_2() -> None:
    v1 = HEAD.replace("stakemap: 2", "stakemap: 1") + (
        "  - {id: otto, name: Otto, organization: nw, left_on: 2026-01-31}\n")
    portfolio = load(v1)
    assert load(v1.replace("stakemap: 1", "stakemap: 2")) == portfolio
    assert dump_portfolio(portfolio).startswith("stakemap: 2\n")
    assert json.loads(dump_portfolio(portfolio, json_format=True))["stakemap"] == 2


def test_the_schema_describes_version_2() -> None:
    schema = stakemap.portfolio_schema()
    defs = schema["$defs"]
    assert schema["properties"]["stakemap"]["enum"] == [1, 2]
    assert {"left_on", "assessments"} <= set(defs["PersonEntry"]["properties"])
    assert {"on", "by", "stance", "influence", "interest"} == set(
        defs["Assessment"]["properties"])
    assert defs["Assessment"]["required"] == ["on"]
    assert {"starts", "ends", "renewal", "notice_days"} <= set(
        defs["AgreementEntry"]["properties"])
    assert set(defs["MeetingKind"]["enum"]) == {k.value for k in MeetingKind}
    relationship = defs["RelationshipEntry"]
    assert {"between", "from", "to", "type", "strength", "since"} <= set(
        relationship["properties"])
    assert [form["required"] for form in relationship["oneOf"]] == [
        ["between"], ["from", "to", "type"]]
    assert relationship["properties"]["strength"]["default"] is None  # not 0.5 any more


def _schema_keys(schema: dict[str, Any], ref: dict[str, Any]) -> set[str]:
    name = (ref.get("$ref") or ref["items"]["$ref"]).rsplit("/", 1)[1]
    return set(schema["$defs"][name]["properties"])


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_every_key_of_the_examples_is_in_the_schema(example: Path) -> None:
    """jsonschema is not a dependency: this checks the part editors rely on most (field
    names) for every entry of every section, and the declared version."""
    schema = stakemap.portfolio_schema()
    data = yaml.safe_load(example.read_text(encoding="utf-8"))
    assert data["stakemap"] in schema["properties"]["stakemap"]["enum"]
    assert set(data) <= set(schema["properties"])
    for section, entries in data.items():
        if not isinstance(entries, list):
            continue
        allowed = _schema_keys(schema, schema["properties"][section])
        for entry in entries:
            if isinstance(entry, dict):
                assert set(entry) <= allowed, (section, set(entry) - allowed)
                for assessment in entry.get("assessments", ()):
                    keys = {"on" if k is True else k for k in assessment}
                    assert keys <= set(schema["$defs"]["Assessment"]["properties"])


# -- stakemap migrate --------------------------------------------------------------------------

def migrate(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["migrate", *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_migrate_round_trips_every_example(example: Path, suffix: str, tmp_path: Path) -> None:
    out = tmp_path / f"migrated{suffix}"
    code, _, err = migrate(str(example), "-o", str(out))
    assert code == 0, err
    assert f"migrated {example} to {out} (format version 2)" in err
    assert stakemap.read_portfolio(out) == stakemap.read_portfolio(example)
    first_line = out.read_text(encoding="utf-8").splitlines()[0]
    assert first_line in ("stakemap: 2", "{")


def test_migrate_rewrites_a_version_1_file(tmp_path: Path) -> None:
    v1 = tmp_path / "old.yaml"
    v1.write_text(HEAD.replace("stakemap: 2", "stakemap: 1")
                  + "relationships:\n  - {between: [ann, chen]}\n", encoding="utf-8")
    code, out, _ = migrate(str(v1), "-o", "-")
    assert code == 0
    assert out.startswith("stakemap: 2\n")
    assert parse_portfolio(out, "new.yaml") == stakemap.read_portfolio(v1)
    assert "strength" not in out  # not declared stays not declared


def test_migrate_never_overwrites_its_input(tmp_path: Path) -> None:
    source = tmp_path / "p.yaml"
    text = HEAD.replace("stakemap: 2", "stakemap: 1")
    source.write_text(text, encoding="utf-8")
    code, _, err = migrate(str(source), "-o", str(source))
    assert code == 2
    assert "it is an input of this command" in err
    assert source.read_text(encoding="utf-8") == text
    code, _, err = migrate(str(source), "-o", str(tmp_path / "p.txt"))
    assert code == 2
    assert "a portfolio file is .yaml, .yml or .json" in err


def test_migrate_reports_a_bad_file_located(tmp_path: Path) -> None:
    source = tmp_path / "bad.yaml"
    source.write_text(HEAD + "  - {id: otto, name: Otto, organization: nw, status: active, "
                             "left_on: 2026-06-30}\n", encoding="utf-8")
    out = tmp_path / "out.yaml"
    code, _, err = migrate(str(source), "-o", str(out))
    assert code == 2
    assert f"{source}:8:54: person 'otto' is 'status: active'" in err
    assert not out.exists()


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_migrated_examples_give_the_same_findings(example: Path, tmp_path: Path) -> None:
    out = tmp_path / "migrated.yaml"
    assert migrate(str(example), "-o", str(out))[0] == 0
    as_of = date(2026, 11, 1)
    before = stakemap.find_gaps(stakemap.load_portfolio(example), as_of=as_of)
    after = stakemap.find_gaps(stakemap.load_portfolio(out), as_of=as_of)
    assert after.to_json() == before.to_json()
    assert before.findings  # the examples have planted gaps: something was compared
