"""CRM import: exports in each CRM's real layout (tests/data/crm), imported, imported again
changed, and refused with file:line errors when broken.

The files: a Salesforce contacts report saved as "CSV UTF-8" (byte order mark, CRLF, every
cell quoted, a title with a line break, one with a comma and quotes, the report's footer)
with its AccountContactRole data export; the next quarter's report (one promoted, one
gone, one new, one new email); a HubSpot contacts export; a Dynamics 365 export saved in a
semicolon locale with its hidden "(Do Not Modify)" columns; a file of broken rows; and a
mapping file.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from stakemap_cli.app import cli

import stakemap
from stakemap.backends import GraphStore
from stakemap.crm import CrmImportError, import_csv
from stakemap.model.edges import HoldsRole, Relationship, ReportsTo
from stakemap.model.enums import Stance
from stakemap.model.nodes import Organization, Person
from stakemap.model.portfolio import Portfolio
from tests.conftest import ROOT

DATA = ROOT / "tests" / "data" / "crm"
CONTACTS = DATA / "salesforce-contacts.csv"
ROLES = DATA / "salesforce-contact-roles.csv"
NEXT = DATA / "salesforce-contacts-next.csv"


def _people(portfolio: Portfolio) -> dict[str, Person]:
    return {n.external_ids.get("salesforce", n.id): n for n in portfolio.nodes
            if isinstance(n, Person)}


def _lines(portfolio: Portfolio) -> set[tuple[str, str]]:
    return {(e.source, e.target) for e in portfolio.edges if isinstance(e, ReportsTo)}


def test_a_salesforce_report_becomes_organizations_people_roles_and_lines() -> None:
    result = import_csv([CONTACTS, ROLES], preset="salesforce")
    people = _people(result.portfolio)
    assert len(people) == 6  # the footer ("Grand Totals", copyright) is not a contact
    assert result.skipped == {str(CONTACTS): (10, 12, 13)}
    julia = people["0035g00000AAAA3"]
    assert julia.name == "Julia Weber"
    assert julia.title == "Depot Planner Hamburg"  # the line break typed into the CRM
    assert people["0035g00000AAAA4"].title == 'Head of IT, "Digital"'
    orgs = {n.name: n for n in result.portfolio.nodes if isinstance(n, Organization)}
    assert set(orgs) == {"Northwind Logistics", "Acme, Inc."}
    assert dict(orgs["Northwind Logistics"].external_ids) == {"salesforce": "0015g00000NW001"}
    # "Reports To" names resolve to people of the same company
    assert (julia.id, people["0035g00000AAAA2"].id) in _lines(result.portfolio)
    roles = {(e.source, e.role) for e in result.portfolio.edges if isinstance(e, HoldsRole)}
    assert (people["0035g00000AAAA1"].id, "purchaser") in roles  # Economic Buyer
    assert (people["0035g00000AAAA2"].id, "end-user") in roles  # Business User
    assert result.unmapped_roles == {"Decision Maker": 2, "Technical Buyer": 1}
    assert result.unmapped_columns == {}  # Salutation, Phone, Mailing City, Id: known
    assert result.vanished == ()
    assert {c.what for c in result.changes} == {"organization", "person", "role",
                                                "reporting line"}
    where = next(c.where for c in result.changes if c.name == "Julia Weber")
    assert where == f"{CONTACTS}:4"


def test_the_next_export_updates_the_same_people_and_reports_who_vanished(
        tmp_path: Path) -> None:
    first = import_csv([CONTACTS, ROLES])
    again = import_csv([CONTACTS, ROLES], into=first.portfolio)
    assert again.changes == ()  # the same export twice changes nothing
    assert again.portfolio == first.portfolio
    result = import_csv([NEXT, ROLES], into=first.portfolio)
    before, after = _people(first.portfolio), _people(result.portfolio)
    assert len(after) == len(before) + 1  # Nadia is new; nobody is duplicated
    assert after["0035g00000AAAA2"].id == before["0035g00000AAAA2"].id
    assert after["0035g00000AAAA2"].title == "VP Operations"
    assert after["0035g00000AAAA3"].email == "j.weber@northwind.example"
    updated = {c.name: c.fields for c in result.changes if c.action == "updated"}
    assert updated == {
        "Mark Jensen": (("title", "Director of Operations", "VP Operations"),),
        "Julia Weber": (("email", "julia.weber@northwind.example",
                         "j.weber@northwind.example"),)}
    # Omar is not in the export: reported, still in the portfolio, unchanged
    assert [(v.name, v.external_id, v.organization_name) for v in result.vanished] == [
        ("Omar Haddad", "0035g00000AAAA5", "Northwind Logistics")]
    assert after["0035g00000AAAA5"] == before["0035g00000AAAA5"]
    assert (after["0035g00000AAAA6"].id, after["0035g00000AAAA3"].id) in \
        _lines(result.portfolio)


def test_the_first_import_into_a_hand_written_portfolio_finds_its_people() -> None:
    base = stakemap.read_portfolio(ROOT / "examples" / "msp-operations.yaml")
    result = import_csv([CONTACTS], into=base)
    by_name = {n.name: n for n in result.portfolio.nodes if isinstance(n, Person)}
    # Mark Jensen and Julia Weber were there, by name at Northwind: they get the CRM ids
    assert by_name["Mark Jensen"].id == "mark-jensen"
    assert by_name["Mark Jensen"].external_ids["salesforce"] == "0035g00000AAAA2"
    assert by_name["Julia Weber"].title == "Depot Planner Hamburg"
    assert sum(1 for n in result.portfolio.nodes if isinstance(n, Person)
               and n.name == "Mark Jensen") == 1
    northwind = next(n for n in result.portfolio.nodes if n.id == "northwind")
    assert northwind.external_ids["salesforce"] == "0015g00000NW001"
    # what the team curated stays: Mark reports to 李娜 (Li Na), not the CRM's "Li Na"
    assert ("mark-jensen", "li-na") in _lines(result.portfolio)
    assert any("reports to Li Na" in w.message and "which is kept" in w.message
               for w in result.warnings)


def test_hubspot_owners_become_ties_to_our_people_and_buying_roles_map() -> None:
    base = stakemap.read_portfolio(ROOT / "examples" / "msp-operations.yaml")
    result = import_csv([DATA / "hubspot-contacts.csv"], preset="hubspot",
                        mapping=DATA / "mapping.yaml", into=base)
    people = {n.name: n for n in result.portfolio.nodes if isinstance(n, Person)}
    zoe = people["Zoë O'Neil"]
    assert zoe.external_ids == {"hubspot": "51"}
    assert zoe.title == "Director, Platform"
    assert zoe.stance is Stance.CHAMPION  # "Champion" is a stance in the mapping
    roles = {(e.source, e.role) for e in result.portfolio.edges if isinstance(e, HoldsRole)}
    assert (zoe.id, "authorized-representative") in roles  # Decision Maker, by the mapping
    assert (people["Hank Scorpio"].id, "executive-sponsor") in roles
    ties = {frozenset((e.source, e.target)) for e in result.portfolio.edges
            if isinstance(e, Relationship)}
    assert frozenset(("tom-becker", zoe.id)) in ties  # Tom Becker owns the contact
    assert [w.line for w in result.warnings] == [4]  # "Pat Unknown" is none of ours
    assert result.unmapped_columns == {}
    assert result.unmapped_roles == {}


def test_a_semicolon_dynamics_export_with_its_hidden_columns() -> None:
    result = import_csv([DATA / "dynamics-contacts.csv"], preset="dynamics")
    people = {n.name: n for n in result.portfolio.nodes if isinstance(n, Person)}
    assert set(people) == {"Ingrid Holm", "Peter Gibbons", "Bill Lumbergh"}
    assert people["Peter Gibbons"].external_ids == {
        "dynamics": "7c0e9a8e-1d1f-ee11-9cbd-000d3a4b1c02"}
    assert _lines(result.portfolio) == {
        (people["Peter Gibbons"].id, people["Bill Lumbergh"].id),
        (people["Bill Lumbergh"].id, people["Ingrid Holm"].id)}
    assert result.unmapped_columns == {}  # the "(Do Not Modify)" columns are known


def test_broken_rows_are_all_reported_with_file_and_line() -> None:
    broken = DATA / "salesforce-broken.csv"
    with pytest.raises(CrmImportError) as caught:
        import_csv([broken, DATA / "dynamics-contacts.csv"], preset="salesforce")
    found = [(p.file, p.line, p.message) for p in caught.value.problems]
    assert [(f, line) for f, line, _ in found] == [
        (str(DATA / "dynamics-contacts.csv"), 1),  # not a Salesforce export: no name column
        (str(broken), 3), (str(broken), 4), (str(broken), 5), (str(broken), 6)]
    messages = [m for _, _, m in found]
    assert "row has no name" in messages[1]
    assert "contact id '003X1' appears twice (first at line 2)" in messages[2]
    assert "row has 7 cells, the header 6" in messages[3]
    assert "'Cy Sea' has no company" in messages[4]


def test_an_unclosed_quote_and_a_file_that_is_not_utf8(tmp_path: Path) -> None:
    quote = tmp_path / "quote.csv"
    quote.write_text('First Name,Last Name,Account Name\nAnn,Able,Acme\n"Bo,Bee,Acme\n',
                     encoding="utf-8")
    latin = tmp_path / "latin.csv"
    latin.write_bytes("First Name,Last Name,Account Name\nJosé,Núñez,Acme\n".encode("cp1252"))
    with pytest.raises(CrmImportError) as caught:
        import_csv([quote, latin])
    problems = {p.file: p for p in caught.value.problems}
    assert problems[str(quote)].line == 3
    assert "unexpected end of data" in problems[str(quote)].message
    assert problems[str(latin)].line == 2
    assert "CSV UTF-8" in (problems[str(latin)].hint or "")


def test_mapping_file_problems_are_located(tmp_path: Path) -> None:
    mapping = tmp_path / "map.yaml"
    mapping.write_text("columns:\n  titel: Job\nroles:\n  Buyer: purchasr\nstances:\n"
                       "  Fan: fan\n", encoding="utf-8")
    with pytest.raises(CrmImportError) as caught:
        import_csv([CONTACTS], mapping=mapping)
    shown = [str(p) for p in caught.value.problems]
    assert any(s.startswith(f"{mapping}:2:") and "unknown field 'titel'" in s
               and "did you mean 'title'" in s for s in shown), shown
    assert any(s.startswith(f"{mapping}:6:") and "Input should be 'champion'" in s
               for s in shown), shown
    mapping.write_text("roles:\n  Buyer: purchasr\n", encoding="utf-8")
    with pytest.raises(CrmImportError, match="did you mean 'purchaser'"):
        import_csv([CONTACTS], mapping=mapping)


def test_unmapped_columns_and_roles_are_listed_and_a_mapping_reads_them(
        tmp_path: Path) -> None:
    export = tmp_path / "contacts.csv"
    export.write_text("Record ID,First Name,Last Name,Company Name,Favourite Colour,Team,"
                      "Buying Role\n7,Ann,Able,Acme,green,Ops,Champion;Decision Maker\n",
                      encoding="utf-8")
    result = import_csv([export], preset="hubspot")
    assert result.unmapped_columns == {str(export): ("Favourite Colour", "Team")}
    assert result.unmapped_roles == {"Champion": 1, "Decision Maker": 1}
    mapping = tmp_path / "map.yaml"
    mapping.write_text("columns:\n  title: Team\nignore: [Favourite Colour]\n"
                       "roles: {Decision Maker: authorized-representative, Champion: null}\n",
                       encoding="utf-8")
    mapped = import_csv([export], preset="hubspot", mapping=mapping)
    assert mapped.unmapped_columns == {}
    assert mapped.unmapped_roles == {}
    ann = next(n for n in mapped.portfolio.nodes if isinstance(n, Person))
    assert ann.title == "Ops"


# -- the command ---------------------------------------------------------------------------

def test_cli_imports_reimports_and_writes_nothing_on_a_dry_run(tmp_path: Path) -> None:
    out = tmp_path / "portfolio.yaml"
    run = CliRunner().invoke(cli, ["import-csv", str(CONTACTS), str(ROLES), "-o", str(out)])
    assert run.exit_code == 0, run.output
    assert "added: 2 organizations, 6 people" in run.stdout
    assert stakemap.read_portfolio(out) == import_csv([CONTACTS, ROLES]).portfolio
    written = out.read_bytes()
    dry = CliRunner().invoke(cli, ["import-csv", str(NEXT), "-o", str(out), "--dry-run",
                                   "--format", "json"])
    assert dry.exit_code == 0, dry.output
    report = json.loads(dry.stdout)
    assert report["written"] is None
    assert [v["name"] for v in report["vanished"]] == ["Omar Haddad"]
    assert out.read_bytes() == written  # a dry run writes nothing
    again = CliRunner().invoke(cli, ["import-csv", str(NEXT), "-o", str(out)])
    assert again.exit_code == 0, again.output
    assert "Mark Jensen (mark-jensen): title Director of Operations -> VP Operations" in \
        again.stdout
    assert "Omar Haddad" in again.stdout


def test_cli_broken_rows_exit_2_and_leave_the_portfolio_as_it_was(tmp_path: Path) -> None:
    out = tmp_path / "portfolio.yaml"
    out.write_text("stakemap: 2\n# ours\n", encoding="utf-8")
    run = CliRunner().invoke(cli, ["import-csv", str(CONTACTS),
                                   str(DATA / "salesforce-broken.csv"), "-o", str(out)])
    assert run.exit_code == 2
    assert "salesforce-broken.csv:3: row has no name" in run.stderr
    assert "Traceback" not in run.output
    assert out.read_text(encoding="utf-8") == "stakemap: 2\n# ours\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["portfolio.yaml"]
    usage = CliRunner().invoke(cli, ["import-csv", str(CONTACTS)])
    assert usage.exit_code == 2
    assert "-o FILE, or --store URL" in usage.stderr
    own = CliRunner().invoke(cli, ["import-csv", str(CONTACTS), "-o", str(CONTACTS)])
    assert own.exit_code == 2
    # STAKEMAP_STORE is a default, not a second target: -o wins
    env = CliRunner().invoke(cli, ["import-csv", str(CONTACTS), "-o", str(out), "--dry-run"],
                             env={"STAKEMAP_STORE": "neo4j://nowhere.invalid:7687"})
    assert env.exit_code == 0, env.output


@pytest.mark.parametrize("backend", ["memory", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def test_a_store_gets_only_what_changed_and_ends_as_the_file_does(
        backend: str, request: pytest.FixtureRequest) -> None:
    store: GraphStore = request.getfixturevalue("neo4j_store") if backend == "neo4j" \
        else stakemap.connect("memory://").store
    graph = stakemap.StakeholderGraph(store)
    first = import_csv([CONTACTS, ROLES], into=graph)
    first.write(graph)
    second = import_csv([NEXT, ROLES], into=graph)
    second.write(graph)
    assert len(second.written_nodes) == 3  # Mark, Julia, Nadia
    expected = import_csv([NEXT, ROLES], into=import_csv([CONTACTS, ROLES]).portfolio)
    assert store.export() == expected.portfolio
    assert import_csv([NEXT, ROLES], into=graph).changes == ()


@pytest.mark.parametrize(("preset", "name", "title", "changed"), [
    ("hubspot", "hubspot-contacts.csv", "Safety Inspector", "Senior Safety Inspector"),
    ("dynamics", "dynamics-contacts.csv", "Software Engineer", "Staff Engineer")])
def test_every_preset_reimports_a_changed_export_without_duplicates(
        tmp_path: Path, preset: str, name: str, title: str, changed: str) -> None:
    first = import_csv([DATA / name], preset=preset)
    assert import_csv([DATA / name], preset=preset, into=first.portfolio).changes == ()
    export = tmp_path / name
    text = (DATA / name).read_text(encoding="utf-8")
    assert text.count(title) == 1
    export.write_text(text.replace(title, changed), encoding="utf-8")
    again = import_csv([export], preset=preset, into=first.portfolio)
    assert [(c.action, c.what, c.fields) for c in again.changes] == [
        ("updated", "person", (("title", title, changed),))]
    people = [n for n in again.portfolio.nodes if isinstance(n, Person)]
    assert len(people) == len([n for n in first.portfolio.nodes if isinstance(n, Person)])
