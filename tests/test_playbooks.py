"""Playbooks: built-ins load, users extend and patch them, and broken ones are located."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

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
