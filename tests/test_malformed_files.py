"""Every malformed file gets a located, specific message; no traceback, nothing returned."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from stakemap_cli.app import cli

from stakemap.errors import PortfolioError
from stakemap.files.load import parse_portfolio, read_portfolio

DATA = Path(__file__).parent / "data" / "malformed"

# file, expected line (None: the file as a whole), what the message must say
CASES = [
    ("empty.yaml", None, "file is empty"),
    ("only-comments.yaml", 1, "only comments"),
    ("prose.yaml", 1, "expected a mapping of sections, found text"),
    ("broken-yaml.yaml", 5, "flow sequence that starts at line 4"),
    ("trailing-comma.json", 5, "not valid JSON"),
    ("tabs.yaml", 3, "indent with spaces, not tabs"),
    ("not-utf8.yaml", 1, "not UTF-8"),
    ("unknown-field.yaml", 8, "unknown field 'titel'; did you mean 'title'?"),
    ("unknown-role.yaml", 9, "unknown role 'acount-manager'; did you mean 'account-manager'?"),
    ("unknown-reference.yaml", 7, "unknown organization 'acmee'; did you mean 'acme'?"),
    ("duplicate-id.yaml", 6, "duplicate id 'alice' (first at line 5)"),
    ("duplicate-key.yaml", 5, "duplicate key 'name' (first at line 4)"),
    ("reporting-cycle.yaml", 7, "reporting lines form a cycle: a -> b -> c -> a"),
    ("invalid-date.yaml", 7,
     "next_review '2026-02-30' is not a valid date; write dates as YYYY-MM-DD"),
    ("out-of-range.yaml", 8, "influence is 9, outside its range; use a value from 1 to 5"),
    ("bad-enum.yaml", 6, "phase 'maintenance' is not allowed; use one of: 'buying', "
                         "'implementation' or 'operations'"),
    ("wrong-side-role.yaml", 9, "customer-side role, but 'alice' is on the provider side"),
    ("wrong-kind-reference.json", 6, "'alice' is a person, not an organization"),
    ("section-not-list.yaml", 3, "people should be a list, found a mapping"),
    ("bad-version.yaml", 1, "stakemap '3' is not allowed; use one of: 1 or 2"),
    ("role-shorthand.yaml", 8, "write a role as 'role@scope'"),
    ("role-dates-swapped.yaml", 9,
     "role 'account-manager' at 'nw' starts (since 2026-05-01) after it ends "
     "(until 2026-01-01); swap the dates or remove one"),
    ("duplicate-role.yaml", 4, "duplicate role id 'data-steward' (first at line 3)"),
    ("provider-consumes.yaml", 9,
     "service 'backup': only customers consume services; 'bluepeak' is a provider; "
     "name a customer organization, or give 'bluepeak' 'type: customer'"),
]


def test_corpus_covers_every_file() -> None:
    listed = {name for name, _, _ in CASES} | {"many-problems.yaml", "consistency-problems.yaml"}
    assert listed == {p.name for p in DATA.iterdir()}
    assert len(listed) >= 15


@pytest.mark.parametrize(("name", "line", "expected"), CASES, ids=[c[0] for c in CASES])
def test_malformed_file_is_located_and_explained(name: str, line: int | None,
                                                 expected: str) -> None:
    path = DATA / name
    with pytest.raises(PortfolioError) as caught:
        read_portfolio(path)
    problems = caught.value.problems
    assert len(problems) == 1, [str(p) for p in problems]
    problem = problems[0]
    assert problem.file == str(path)
    assert problem.line == line
    assert expected in str(problem)
    assert str(problem).startswith(f"{path}:{line}:" if line else f"{path}: ")


def test_one_file_with_several_problems_reports_all_of_them() -> None:
    path = DATA / "many-problems.yaml"
    with pytest.raises(PortfolioError) as caught:
        read_portfolio(path)
    found = [(p.line, p.message) for p in caught.value.problems]
    expected = [
        (4, "phase 'operation' is not allowed"),
        (9, "unknown role 'account-manger'"),
        (13, "influence is 7, outside its range"),
        (14, "reporting lines form a cycle"),
        (19, "stance 'friendly' is not allowed"),
        (21, "unknown person 'alise'"),
        (21, "last_contact '2026-13-01' is not a valid date"),
    ]
    assert len(found) == len(expected), found
    for (line, message), (want_line, want) in zip(found, expected, strict=True):
        assert line == want_line
        assert want in message


def test_every_consistency_problem_in_one_file_is_reported_at_once() -> None:
    """Swapped role dates, a role declared twice and non-customers consuming a service are
    all reported in one run, beside a structural error that sends the file down the
    partial-validation path."""
    path = DATA / "consistency-problems.yaml"
    with pytest.raises(PortfolioError) as caught:
        read_portfolio(path)
    found = [str(p) for p in caught.value.problems]
    swapped = "starts (since {}) after it ends (until {}); swap the dates or remove one"
    assert found == [
        f"{path}:4:10: duplicate role id 'data-steward' (first at line 3); declare each role "
        "once; remove or rename one",
        f"{path}:8:54: organization 'nw': phase 'operation' is not allowed; use one of: "
        "'buying', 'implementation' or 'operations'",
        f"{path}:14:9: role 'data-steward' at 'nw' " + swapped.format("2026-05-01", "2026-01-01"),
        f"{path}:15:9: role 'executive-sponsor' at 'nw' "
        + swapped.format("2026-03-01", "2026-02-01"),
        f"{path}:17:64: service 'backup': only customers consume services; 'bluepeak' is a "
        "provider; name a customer organization, or give 'bluepeak' 'type: customer'",
        f"{path}:17:85: service 'backup': only customers consume services; 'lakeside' is a "
        "partner; name a customer organization, or give 'lakeside' 'type: customer'",
    ]


def test_a_role_held_for_one_day_is_not_swapped() -> None:
    text = """
organizations:
  - {id: acme, name: Acme, type: provider}
  - {id: nw, name: Northwind, type: customer}
people:
  - {id: alice, name: Alice, organization: acme,
     roles: [{role: account-manager, scope: nw, since: 2026-01-01, until: 2026-01-01}]}
"""
    assert len(parse_portfolio(text, "t.yaml").edges) == 1


@pytest.mark.parametrize("name", ["role-dates-swapped.yaml", "duplicate-role.yaml",
                                  "provider-consumes.yaml", "consistency-problems.yaml"])
def test_cli_validate_reports_consistency_problems_and_exits_2(name: str) -> None:
    result = CliRunner().invoke(cli, ["validate", str(DATA / name)])
    assert result.exit_code == 2
    assert f"{DATA / name}:" in result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_huge_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text("stakemap: 1\n" + "# padding\n" * 2000)
    with pytest.raises(PortfolioError) as caught:
        read_portfolio(path, max_bytes=1024)
    assert "over the" in str(caught.value)
    assert "limit" in str(caught.value)
    assert "STAKEMAP_MAX_FILE_MB" in str(caught.value)


def test_limit_can_be_set_from_the_environment(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "big.yaml"
    path.write_text("stakemap: 1\n" + "# padding\n" * 200_000)
    monkeypatch.setenv("STAKEMAP_MAX_FILE_MB", "1")
    with pytest.raises(PortfolioError, match="limit"):
        read_portfolio(path)


def test_missing_file_names_the_path(tmp_path: Path) -> None:
    with pytest.raises(PortfolioError, match="file not found"):
        read_portfolio(tmp_path / "nope.yaml")


def test_reference_to_an_entry_that_failed_validation_is_not_reported_twice() -> None:
    text = """
organizations:
  - {id: nw, name: Northwind, type: custmer}
people:
  - {id: chen, name: Chen, organization: nw}
"""
    with pytest.raises(PortfolioError) as caught:
        parse_portfolio(text, "t.yaml")
    assert [p.line for p in caught.value.problems] == [3]


def test_json_positions_survive_tab_indentation() -> None:
    text = '{\n\t"stakemap": 1,\n\t"people": [{"id": "a", "name": "A", "organization": "x"}]\n}\n'
    with pytest.raises(PortfolioError) as caught:
        parse_portfolio(text, "t.json")
    (problem,) = caught.value.problems
    assert (problem.line, "unknown organization 'x'" in problem.message) == (3, True)


def test_duplicate_key_inside_a_json_entry_is_located() -> None:
    text = '{"organizations": [\n  {"id": "nw", "name": "A", "name": "B", "type": "customer"}\n]}\n'
    with pytest.raises(PortfolioError) as caught:
        parse_portfolio(text, "t.json")
    (problem,) = caught.value.problems
    assert (problem.line, problem.message) == (2, "duplicate key 'name' (first at line 2)")


def test_an_invalid_organization_that_roles_refer_to_is_one_problem_not_a_crash(
        tmp_path: Path) -> None:
    bad = tmp_path / "long.yaml"
    bad.write_text("stakemap: 1\norganizations:\n  - {id: us, name: Us, type: provider}\n"
                   f"  - {{id: nw, name: {'x' * 5000}, type: customer}}\n"
                   "people:\n  - {id: p, name: P, organization: nw, "
                   "roles: [executive-sponsor@nw]}\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(bad)])
    assert result.exit_code == 2
    assert f"{bad}:4:20: organization 'nw': name is too long" in result.output
    assert "internal error" not in result.output


def test_summarize_refuses_what_is_not_a_portfolio() -> None:
    import stakemap

    with pytest.raises(stakemap.ArgumentError, match="summarize: portfolio should be"):
        stakemap.summarize(None)  # type: ignore[arg-type]
