"""The JSON Schemas (``stakemap schema``, ``stakemap schema --playbook``) against the loaders.

An editor marks what the schema rejects, so a schema stricter than the loader marks files
that load, and teaches people to ignore the marks. These tests hold the schema to never
being stricter: every example, generated and saved portfolio, and every form the loader
accepts (a corpus of short and long forms, one each) must both load and validate, with the
``jsonschema`` package as an editor would use the schema (Draft 2020-12). The loader checks
more than a schema can say (references, sides, cycles), so the converse is not required;
the structural mistakes are still caught by both (``test_the_schema_flags_...``).

YAML is read here as editors read it, YAML 1.2 (``yes`` and ``on`` are text, dates are
text), and the same files are loaded by stakemap, which reads YAML 1.1: both readings of
one text must pass.
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from jsonschema import Draft7Validator, Draft202012Validator
from stakemap_cli.app import cli

import stakemap
from stakemap.analysis.playbook import BUILTIN_PLAYBOOKS, builtin_text
from stakemap.files.load import parse_portfolio
from stakemap.files.save import dump_portfolio
from stakemap.generate import GeneratorSpec, generate
from stakemap.model.portfolio import Portfolio
from tests.strategies import portfolios

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
SCHEMAS = ROOT / "schema"
MALFORMED = ROOT / "tests" / "data" / "malformed"
PLAYBOOKS = ROOT / "tests" / "data" / "playbooks"
DIALECT = "https://json-schema.org/draft/2020-12/schema"


# -- reading files as an editor does ---------------------------------------------------------

_BOOL = "tag:yaml.org,2002:bool"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"


class _Yaml12Loader(yaml.SafeLoader):
    """YAML 1.2's core schema, close enough for these files: only true/false are booleans
    (``yes``, ``no``, ``on``, ``off`` are text) and dates are text, as the YAML language
    server reads them."""


_Yaml12Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in (_BOOL, _TIMESTAMP)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Yaml12Loader.add_implicit_resolver(
    _BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


def as_editor_reads(text: str, *, json_text: bool = False) -> Any:
    return json.loads(text) if json_text else yaml.load(text, Loader=_Yaml12Loader)


def errors(validator: Draft7Validator | Draft202012Validator, data: Any) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
            for e in validator.iter_errors(data)]


@functools.cache
def _portfolio_validator() -> Draft202012Validator:
    # formats asserted, as some editors do: a date is YYYY-MM-DD
    return Draft202012Validator(stakemap.portfolio_schema(),
                                format_checker=Draft202012Validator.FORMAT_CHECKER)


@pytest.fixture(scope="module")
def portfolio_validator() -> Draft202012Validator:
    return _portfolio_validator()


@pytest.fixture(scope="module")
def playbook_validator() -> Draft202012Validator:
    return Draft202012Validator(stakemap.playbook_schema(),
                                format_checker=Draft202012Validator.FORMAT_CHECKER)


def schema_command(*args: str) -> str:
    result = CliRunner().invoke(cli, ["schema", *args])
    assert result.exit_code == 0, result.output
    return result.stdout


# -- the schemas themselves ------------------------------------------------------------------

@pytest.mark.parametrize(("args", "shipped"), [((), "portfolio.schema.json"),
                                               (("--playbook",), "playbook.schema.json")])
def test_the_shipped_schema_is_what_the_command_prints(args: tuple[str, ...],
                                                       shipped: str) -> None:
    """schema/*.schema.json are what editors are pointed at; they cannot go stale."""
    printed = schema_command(*args)
    assert (SCHEMAS / shipped).read_text(encoding="utf-8") == printed, (
        "regenerate the shipped schemas: make schema")


@pytest.mark.parametrize(("make", "title"), [(stakemap.portfolio_schema, "stakemap portfolio"),
                                             (stakemap.playbook_schema, "stakemap playbook")])
def test_the_schemas_are_draft_2020_12(make: Any, title: str) -> None:
    schema = make()
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == DIALECT
    assert schema["$id"].startswith("https://")
    assert schema["title"] == title
    assert "$schema" in schema["properties"]  # files may name their schema


def test_every_node_entry_has_its_external_ids() -> None:
    defs = stakemap.portfolio_schema()["$defs"]
    for entry in ("OrganizationEntry", "PersonEntry", "ServiceEntry", "AgreementEntry",
                  "MeetingEntry"):
        ids = defs[entry]["properties"]["external_ids"]
        assert ids["type"] == "object"
        assert "external_ids" not in defs[entry].get("required", ())


def test_an_impossible_date_is_marked(portfolio_validator: Draft202012Validator) -> None:
    text = HEAD + "meetings:\n  - {id: m, name: M, date: 2026-02-30}\n"
    with pytest.raises(stakemap.PortfolioError):
        parse_portfolio(text, "bad.yaml")
    assert errors(portfolio_validator, as_editor_reads(text))


# -- portfolios: what stakemap ships, generates and saves -------------------------------------

@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_every_example_validates(example: Path,
                                 portfolio_validator: Draft202012Validator) -> None:
    text = example.read_text(encoding="utf-8")
    assert errors(portfolio_validator, as_editor_reads(text)) == []
    # ... and names the shipped schema on its first line, for the YAML language server
    first = text.splitlines()[0]
    match = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first)
    assert match, first
    assert (example.parent / match.group(1)).resolve() == (SCHEMAS / "portfolio.schema.json")


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
@pytest.mark.parametrize("json_format", [False, True], ids=["yaml", "json"])
def test_every_saved_file_validates(example: Path, json_format: bool,
                                    portfolio_validator: Draft202012Validator) -> None:
    text = dump_portfolio(stakemap.read_portfolio(example), json_format=json_format)
    assert errors(portfolio_validator, as_editor_reads(text, json_text=json_format)) == []


@pytest.mark.parametrize(("customers", "seed"), [(1, 0), (3, 1), (5, 7)])
@pytest.mark.parametrize("json_format", [False, True], ids=["yaml", "json"])
def test_every_generated_portfolio_validates(customers: int, seed: int, json_format: bool,
                                             portfolio_validator: Draft202012Validator) -> None:
    portfolio = generate(GeneratorSpec(customers=customers, seed=seed,
                                       people_per_customer=12)).portfolio
    text = dump_portfolio(portfolio, json_format=json_format)
    assert errors(portfolio_validator, as_editor_reads(text, json_text=json_format)) == []


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(portfolio=portfolios())
def test_every_saved_portfolio_validates(portfolio: Portfolio) -> None:
    """Whatever a portfolio holds (the round-trip tests' strategy: every field, odd text,
    every edge kind), the file saving writes follows the schema, as YAML and as JSON."""
    validator = _portfolio_validator()
    for json_format in (False, True):
        text = dump_portfolio(portfolio, json_format=json_format)
        assert errors(validator, as_editor_reads(text, json_text=json_format)) == []


# -- portfolios: every form the loader accepts -------------------------------------------------

HEAD = """\
stakemap: 2
organizations:
  - {id: us, name: Us, type: provider}
  - {id: acme, name: Acme, type: customer}
  - {id: acme-eu, name: Acme EU, type: customer, parent: acme}
"""
PEOPLE = """\
people:
  - {id: ann, name: Ann, organization: us}
  - {id: bob, name: Bob, organization: acme}
"""
SERVICE = """\
services:
  - {id: erp, name: ERP}
"""

ACCEPTED: dict[str, str] = {
    "minimal": "stakemap: 2\n",
    "no version": "organizations:\n  - {id: us, name: Us, type: provider}\n",
    "version 1": HEAD.replace("stakemap: 2", "stakemap: 1") + PEOPLE,
    "$schema key": "$schema: ../schema/portfolio.schema.json\n" + HEAD,
    "editor line": "# yaml-language-server: $schema=https://example.org/portfolio.json\n"
                   + HEAD,
    "null $schema": "$schema: null\n" + HEAD,
    "kind written out": HEAD + """\
people:
  - {id: ann, name: Ann, organization: us, kind: person}
""",
    "every person field": HEAD + """\
people:
  - id: ann
    name: Ann
    organization: us
    title: "VP: Operations"
    status: left
    left_on: 2026-03-01
    email: ann@example.org
    stance: champion
    influence: 4
    interest: 5
    notes: long-standing contact
    external_ids: {salesforce: 0035g00000Xyz, hubspot: "1234"}
  - id: bob
    name: Bob
    organization: acme
    assessments:
      - {on: 2026-01-10, by: Ann, stance: neutral, influence: 3}
      - {"on": 2026-02-10, interest: 2}
""",
    "role short form": HEAD + PEOPLE.replace(
        "organization: us}", "organization: us, roles: [account-manager@acme]}"),
    "role short form, spaces": HEAD + PEOPLE.replace(
        "organization: us}", "organization: us, roles: ['account-manager @ acme']}"),
    "role long form": HEAD + """\
people:
  - id: ann
    name: Ann
    organization: us
    roles:
      - {role: account-manager, scope: acme, phase: operations, since: 2025-01-01,
         until: 2027-01-01}
      - {role: account-manager, scope: acme-eu}
""",
    "reports_to one id": HEAD + PEOPLE + """\
  - {id: cy, name: Cy, organization: acme, reports_to: bob}
""",
    "reports_to a list": HEAD + PEOPLE + """\
  - {id: cy, name: Cy, organization: acme, reports_to: [bob]}
""",
    "reports_to one mapping": HEAD + PEOPLE + """\
  - {id: cy, name: Cy, organization: acme, reports_to: {to: bob, line: dotted}}
""",
    "reports_to mixed list": HEAD + PEOPLE + """\
  - {id: dee, name: Dee, organization: acme}
  - {id: cy, name: Cy, organization: acme, reports_to: [bob, {to: dee, line: dotted}]}
""",
    "authority": HEAD + PEOPLE.replace(
        "organization: acme}", "organization: acme, authority: [{scope: budget, over: acme}]}"),
    "provider one id, consumers ids": HEAD + PEOPLE + """\
services:
  - {id: erp, name: ERP, provider: us, owners: ann, consumers: acme}
""",
    "provider a list, consumers mixed": HEAD + PEOPLE + """\
services:
  - id: erp
    name: ERP
    description: the ERP
    provider: [us]
    owners: [ann]
    consumers: [acme, {customer: acme-eu, vital: true}]
""",
    "consumer one mapping": HEAD + """\
services:
  - {id: erp, name: ERP, consumers: {customer: acme, vital: yes}}
""",
    "YAML 1.1 booleans": HEAD + """\
services:
  - {id: erp, name: ERP, consumers: [{customer: acme, vital: no}, {customer: acme-eu, vital: ON}]}
""",
    "agreement and meeting": HEAD + PEOPLE + """\
agreements:
  - {id: msa, name: MSA, parties: [us, acme], next_review: 2026-06-01, starts: 2025-01-01,
     ends: 2027-12-31, renewal: 2027-12-31, notice_days: 90, description: the contract}
meetings:
  - {id: qbr, name: QBR, date: 2026-02-01, type: qbr, attendees: [ann, bob], outcome: ok}
  - {id: call, name: Call, date: 2026-02-02, attendees: [ann]}
""",
    "organization fields": """\
organizations:
  - {id: acme, name: Acme, type: customer, phase: buying, tier: strategic, description: d,
     external_ids: {dynamics: a-1}}
""",
    "relationship between": HEAD + PEOPLE + """\
  - {id: cy, name: Cy, organization: acme}
relationships:
  - {between: [ann, bob]}
  - between: [cy, ann]
    strength: 0.5
    sentiment: positive
    last_contact: 2026-01-01
    notes: met at the QBR
""",
    "relationship integer strength": HEAD + PEOPLE + """\
relationships:
  - {between: [ann, bob], strength: 1}
""",
    "relationship directed": HEAD + PEOPLE + """\
relationships:
  - {from: ann, to: bob, type: influences}
  - {from: bob, to: ann, type: conflicts-with, strength: 0.2, since: 2025-05-01, notes: n}
""",
    "directed with between null": HEAD + PEOPLE + """\
relationships:
  - {between: null, from: ann, to: bob, type: reports-informally-to}
""",
    "own roles": HEAD + """\
roles:
  - {id: data-steward, side: customer, name: Data Steward}
  - id: bid-manager
    side: provider
    name: Bid Manager
    description: runs bids
    deliverable: the bid
    phases: [buying]
people:
  - {id: bob, name: Bob, organization: acme, roles: [data-steward@acme]}
""",
    "empty sections": "stakemap: 2\nname: Empty\npeople: []\nrelationships: []\n",
}


@pytest.mark.parametrize("case", list(ACCEPTED), ids=list(ACCEPTED))
def test_every_accepted_form_loads_and_validates(
        case: str, portfolio_validator: Draft202012Validator) -> None:
    text = ACCEPTED[case]
    parse_portfolio(text, f"{case}.yaml")  # the loader accepts it (raises otherwise)
    assert errors(portfolio_validator, as_editor_reads(text)) == []


@pytest.mark.parametrize("case", list(ACCEPTED), ids=list(ACCEPTED))
def test_every_accepted_form_loads_and_validates_as_json(
        case: str, portfolio_validator: Draft202012Validator) -> None:
    """The same forms written as JSON (dates as text, as JSON has no dates)."""
    data = yaml.safe_load(ACCEPTED[case])
    text = json.dumps({"$schema": "schema/portfolio.schema.json", **_editor_keys(data)},
                      default=str)
    parse_portfolio(text, f"{case}.json")
    assert errors(portfolio_validator, json.loads(text)) == []


def _editor_keys(value: Any) -> Any:
    """PyYAML's reading as JSON would write it: the ``on`` key YAML 1.1 made true is "on"."""
    if isinstance(value, dict):
        return {("on" if k is True else k): _editor_keys(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_editor_keys(v) for v in value]
    return value


def test_a_schema_key_is_ignored_and_not_saved(tmp_path: Path) -> None:
    text = json.dumps({"$schema": "https://example.org/p.json", "stakemap": 2,
                       "organizations": [{"id": "us", "name": "Us", "type": "provider"}]})
    portfolio = parse_portfolio(text, "p.json")
    assert portfolio == parse_portfolio(json.dumps(json.loads(text) | {"$schema": None}),
                                        "p.json")
    assert "$schema" not in dump_portfolio(portfolio, json_format=True)


# -- portfolios: what the schema catches -------------------------------------------------------

@pytest.mark.parametrize("name", ["bad-enum.yaml", "bad-version.yaml", "out-of-range.yaml",
                                  "prose.yaml", "role-shorthand.yaml", "section-not-list.yaml",
                                  "unknown-field.yaml"])
def test_the_schema_flags_structural_mistakes(name: str,
                                              portfolio_validator: Draft202012Validator) -> None:
    """What a schema can say, it says: an editor marks these before stakemap runs."""
    text = (MALFORMED / name).read_text(encoding="utf-8")
    with pytest.raises(stakemap.PortfolioError):
        parse_portfolio(text, name)
    assert errors(portfolio_validator, as_editor_reads(text))


REJECTED_BY_BOTH = {
    "both relationship forms": "relationships:\n  - {between: [a, b], from: a, to: b, "
                               "type: influences}\n",
    "directed without type": "relationships:\n  - {from: a, to: b}\n",
    "directed with sentiment": "relationships:\n  - {from: a, to: b, type: influences, "
                               "sentiment: positive}\n",
    "role without scope": "people:\n  - {id: a, name: A, organization: o, roles: [x@]}\n",
    "provider a mapping": "services:\n  - {id: s, name: S, provider: {id: us}}\n",
    "from_ as in Python": "relationships:\n  - {from_: a, to: b, type: influences}\n",
}


@pytest.mark.parametrize("case", list(REJECTED_BY_BOTH), ids=list(REJECTED_BY_BOTH))
def test_the_schema_rejects_what_the_loader_rejects_for_its_form(
        case: str, portfolio_validator: Draft202012Validator) -> None:
    text = REJECTED_BY_BOTH[case]
    with pytest.raises(stakemap.PortfolioError):
        parse_portfolio(text, "bad.yaml")
    assert errors(portfolio_validator, as_editor_reads(text))


# -- playbooks ---------------------------------------------------------------------------------

@pytest.mark.parametrize("name", BUILTIN_PLAYBOOKS)
def test_every_builtin_playbook_validates(name: str,
                                          playbook_validator: Draft202012Validator) -> None:
    assert errors(playbook_validator, as_editor_reads(builtin_text(name))) == []


@pytest.mark.parametrize("name", ["custom.yaml", "every-rule.yaml"])
def test_the_test_playbooks_validate(name: str,
                                     playbook_validator: Draft202012Validator) -> None:
    path = PLAYBOOKS / name
    stakemap.load_playbook(path)
    assert errors(playbook_validator, as_editor_reads(path.read_text(encoding="utf-8"))) == []


PLAYBOOK_FORMS: dict[str, str] = {
    "minimal": "playbook: p\n",
    "$schema key and patches": """\
$schema: ../schema/playbook.schema.json
playbook: p
version: 2
description: d
extends: [default]
rules:
  - {id: end-user-missing, enabled: no}
  - {id: stale-relationship, days: 30, severity: high, remediation: call them}
  - {id: budget-authority-missing, scope: technical, when: {tiers: [strategic]}}
""",
    "every selector field": """\
playbook: p
rules:
  - id: sponsor
    type: required-role
    any_of: [executive-sponsor, business-owner]
    phases: [buying]
    min_count: 2
    scopes: [account, divisions]
    when: {tiers: [key], phases: [operations], customers: [acme], with_vital_services: true}
  - {id: network, type: hidden-influencer, reporting: false, max_rated: 2, min_people: 3}
""",
}


@pytest.mark.parametrize("case", list(PLAYBOOK_FORMS), ids=list(PLAYBOOK_FORMS))
def test_every_accepted_playbook_form_loads_and_validates(
        case: str, tmp_path: Path, playbook_validator: Draft202012Validator) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(PLAYBOOK_FORMS[case], encoding="utf-8")
    stakemap.load_playbook(path)
    assert errors(playbook_validator, as_editor_reads(PLAYBOOK_FORMS[case])) == []


@pytest.mark.parametrize("name", ["broken.yaml", "mistakes.yaml"])
def test_the_playbook_schema_flags_broken_playbooks(
        name: str, playbook_validator: Draft202012Validator) -> None:
    path = PLAYBOOKS / name
    with pytest.raises(stakemap.PlaybookError):
        stakemap.load_playbook(path)
    assert errors(playbook_validator, as_editor_reads(path.read_text(encoding="utf-8")))


# -- the README's own examples ---------------------------------------------------------------

def test_the_readme_examples_validate(portfolio_validator: Draft202012Validator,
                                      playbook_validator: Draft202012Validator) -> None:
    """The README's YAML blocks that name a schema on their first line follow it."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(# yaml-language-server: \$schema=\S+\n.*?)```", readme,
                        re.S)
    by_schema = {"portfolio": portfolio_validator, "playbook": playbook_validator}
    seen = set()
    for block in blocks:
        kind = re.search(r"(portfolio|playbook)\.schema\.json", block.splitlines()[0])
        assert kind, block.splitlines()[0]
        seen.add(kind.group(1))
        assert errors(by_schema[kind.group(1)], as_editor_reads(block)) == []
    assert seen == {"portfolio", "playbook"}


# -- editors that validate by draft 7 ------------------------------------------------------------

def test_editors_on_draft_7_accept_the_same_files() -> None:
    """The YAML language server validates by draft 7's rules whatever a schema declares
    (it may say 2020-12 is "not yet fully supported"). The schemas use draft 7's keywords
    but ``prefixItems`` (a relationship's two people, which draft 7 skips: looser, never
    stricter) and ``$defs`` (reached by JSON pointer all the same), so every file that
    passes above passes there too."""
    portfolio = Draft7Validator({k: v for k, v in stakemap.portfolio_schema().items()
                                 if k != "$schema"})
    playbook = Draft7Validator({k: v for k, v in stakemap.playbook_schema().items()
                                if k != "$schema"})
    for example in EXAMPLES:
        assert errors(portfolio, as_editor_reads(example.read_text(encoding="utf-8"))) == []
    for case, text in ACCEPTED.items():
        assert errors(portfolio, as_editor_reads(text)) == [], case
    for case, text in REJECTED_BY_BOTH.items():
        assert errors(portfolio, as_editor_reads(text)), case
    for name in BUILTIN_PLAYBOOKS:
        assert errors(playbook, as_editor_reads(builtin_text(name))) == [], name
    for text in PLAYBOOK_FORMS.values():
        assert errors(playbook, as_editor_reads(text)) == []
