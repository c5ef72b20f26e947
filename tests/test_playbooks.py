"""Playbooks: built-ins load, users extend and patch them, and broken ones are located."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from stakemap_cli.app import cli

import stakemap
from stakemap.analysis.playbook import BUILTIN_PLAYBOOKS, load_playbook, resolve_playbooks
from stakemap.errors import PlaybookError
from stakemap.rules import RequiredRole, Severity, StaleRelationship
from tests.conftest import ROOT

DATA = ROOT / "tests" / "data" / "playbooks"


@pytest.mark.parametrize("name", BUILTIN_PLAYBOOKS)
def test_builtins_load_with_unique_codes(name: str) -> None:
    book = load_playbook(name)
    ids = [r.id for r in book.rules]
    assert len(ids) == len(set(ids))
    assert book.enabled()


def test_msp_playbook_requires_the_six_roles_and_drops_the_generic_lead() -> None:
    book = load_playbook("msp-account-team")
    required = {r.role for r in book.enabled() if isinstance(r, RequiredRole)}
    assert {"executive-partner", "account-manager", "sales-engineer", "professional-services",
            "customer-service-manager", "technical-lead"} <= required
    lead = next(r for r in book.rules if r.id == "account-lead-missing")
    assert lead.enabled is False


def test_a_custom_playbook_extends_patches_and_adds() -> None:
    book = load_playbook(DATA / "custom.yaml")
    rules = {r.id: r for r in book.rules}
    stale = rules["stale-relationship"]
    assert isinstance(stale, StaleRelationship)
    assert (stale.days, stale.severity) == (30, Severity.HIGH)
    assert rules["end-user-missing"].enabled is False
    assert rules["strategic-needs-two-sponsors"].when.tiers == ("strategic",)
    assert (book.name, book.version) == ("our-team", 3)


def test_custom_playbook_changes_the_findings() -> None:
    graph = stakemap.load_portfolio(ROOT / "examples" / "msp-operations.yaml")
    report = stakemap.find_gaps(graph, playbook=str(DATA / "custom.yaml"),
                                as_of=date(2026, 11, 1))
    stale = {f.subject for f in report.findings if f.code == "stale-relationship"}
    # 30 days before 2026-11-01: contacts on 09-15, 08-27, 05-04 and 09-30 are now stale.
    assert stale == {"mark-jensen", "sara-lindqvist", "omar-haddad", "julia-weber"}
    assert any(f.code == "strategic-needs-two-sponsors" and f.severity is Severity.CRITICAL
               for f in report.findings)


def test_a_broken_playbook_reports_every_problem_with_its_line() -> None:
    with pytest.raises(PlaybookError) as caught:
        load_playbook(DATA / "broken.yaml")
    text = "\n".join(str(p) for p in caught.value.problems)
    name = re.escape(str(DATA / "broken.yaml"))
    assert re.search(rf"{name}:5:\d+: rules\.0\.days: .*greater than or equal to 1", text)
    assert re.search(rf"{name}:6:\d+: .*unknown rule type 'stale-relationshp'", text)
    assert re.search(rf"{name}:7:\d+: .*severity", text)
    assert re.search(rf"{name}:8:\d+: .*has no 'type' and patches no inherited rule", text)
    assert re.search(rf"{name}:9:\d+: .*id", text)
    assert re.search(rf"{name}:9:\d+: .*colour", text)
    assert len(caught.value.problems) == 6


def test_unknown_playbook_names_the_builtins() -> None:
    with pytest.raises(PlaybookError, match="default, msp-account-team"):
        load_playbook("no-such-playbook")


def test_several_playbooks_combine_later_ones_winning() -> None:
    book = resolve_playbooks(["default", str(DATA / "custom.yaml")])
    stale = next(r for r in book.rules if r.id == "stale-relationship")
    assert isinstance(stale, StaleRelationship)
    assert stale.days == 30


def test_a_duplicate_key_in_a_playbook_is_reported_not_silently_overwritten(
        tmp_path: Path) -> None:
    book = tmp_path / "dup.yaml"
    book.write_text("playbook: dup\nrules:\n"
                    "  - {id: x, type: unowned-service, severity: high, severity: low}\n",
                    encoding="utf-8")
    with pytest.raises(PlaybookError, match=r"dup\.yaml:3:\d+: duplicate key 'severity'"):
        load_playbook(book)


@pytest.mark.parametrize(("content", "message"), [
    (b"\xff\xfe rules", r"bin\.yaml:1:1: not a text file: the bytes are not UTF-8; save the "
                        r"playbook as UTF-8 text"),
    (None, r"bin\.yaml: no such playbook file or built-in playbook"),
])
def test_an_unreadable_playbook_is_a_located_problem_not_a_crash(
        tmp_path: Path, content: bytes | None, message: str) -> None:
    book = tmp_path / "bin.yaml"
    if content is None:
        book.mkdir()
    else:
        book.write_bytes(content)
    with pytest.raises(PlaybookError, match=message):
        load_playbook(book)
    with pytest.raises(PlaybookError, match=message):
        stakemap.playbook_source(book)


def test_every_mistake_in_a_playbook_is_located_at_once() -> None:
    """A missing parent is named at the extending entry; a role id one typo from a built-in
    one, a rule id written twice and a day count past a century are located errors."""
    path = DATA / "mistakes.yaml"
    with pytest.raises(PlaybookError) as caught:
        load_playbook(path)
    assert [str(p) for p in caught.value.problems] == [
        f"{path}:2:20: extends: no such playbook file or built-in playbook "
        f"'missing-parent.yaml' (looked for {DATA / 'missing-parent.yaml'}); use a path "
        "relative to this playbook or one of: default, msp-account-team, account-trio, "
        "it-customer-team, network",
        f"{path}:4:49: rules.0.role: unknown role 'acount-manager'; did you mean "
        "'account-manager'?",
        f"{path}:5:10: rules.1.id: duplicate rule id 'am-missing' (first at line 4); give each "
        "rule in this file its own id, or merge the two entries",
        f"{path}:6:84: rules.2.any_of.2: unknown role 'sales-enginer'; did you mean "
        "'sales-engineer'?",
        f"{path}:7:49: rules.3.days: Input should be less than or equal to 36500; use at "
        "most 36500",
        f"{path}:8:62: rules.4.grace_days: Input should be less than or equal to 36500; use at "
        "most 36500",
    ]


def test_a_custom_role_far_from_the_built_in_ones_is_left_to_the_portfolio(
        tmp_path: Path) -> None:
    book = tmp_path / "custom-role.yaml"
    book.write_text("playbook: ours\nrules:\n"
                    "  - {id: steward, type: required-role, role: data-steward}\n",
                    encoding="utf-8")
    rule = load_playbook(book).rules[0]
    assert isinstance(rule, RequiredRole)
    assert rule.role == "data-steward"


def test_patching_an_inherited_rule_by_id_is_not_a_duplicate(tmp_path: Path) -> None:
    book = tmp_path / "patch.yaml"
    book.write_text("playbook: ours\nextends: [default]\nrules:\n"
                    "  - {id: stale-relationship, days: 36500}\n", encoding="utf-8")
    stale = next(r for r in load_playbook(book).rules if r.id == "stale-relationship")
    assert isinstance(stale, StaleRelationship)
    assert stale.days == 36_500


def test_a_missing_parent_of_a_parent_names_the_playbook_that_extends_it(
        tmp_path: Path) -> None:
    (tmp_path / "middle.yaml").write_text("playbook: middle\nextends: [gone.yaml]\n",
                                          encoding="utf-8")
    top = tmp_path / "top.yaml"
    top.write_text("playbook: top\nextends: [middle.yaml]\n", encoding="utf-8")
    with pytest.raises(PlaybookError) as caught:
        load_playbook(top)
    (problem,) = caught.value.problems
    assert (problem.file, problem.line) == (str(tmp_path / "middle.yaml"), 2)
    assert "'gone.yaml'" in problem.message


def test_cli_gaps_with_a_broken_playbook_exits_2_without_a_traceback() -> None:
    result = CliRunner().invoke(cli, ["gaps", str(ROOT / "examples" / "msp-operations.yaml"),
                                      "--playbook", str(DATA / "mistakes.yaml")])
    assert result.exit_code == 2
    assert f"{DATA / 'mistakes.yaml'}:7:49: rules.3.days" in result.output
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)
