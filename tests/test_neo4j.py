"""The Neo4j backend beyond the shared contract: URLs, round trips, its graph layout,
hostile text, and how it fails. (Parity with memory is the shared suite's, tests/contract.)"""

from __future__ import annotations

import json
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

import stakemap
from stakemap.backends import GraphStore, open_store, redact_url
from stakemap.backends.neo4j import Neo4jStore, Neo4jURL
from stakemap.errors import (
    GraphError,
    StoreConnectionError,
    StoreDataError,
    StoreError,
    StoreURLError,
)
from stakemap.files.load import read_portfolio
from stakemap.generate import generate_portfolio
from stakemap.model import (
    Agreement,
    Consumes,
    EdgeKind,
    HoldsRole,
    Meeting,
    NodeKind,
    Organization,
    OrgKind,
    Person,
    Portfolio,
    Provides,
    Relationship,
    RoleDefinition,
    Service,
    Side,
)
from tests.conftest import EXAMPLES, neo4j_test_env, neo4j_test_server, neo4j_test_url
from tests.strategies import portfolios

HOSTILE = "O'Brien \"Bob\" `tick` }) DETACH DELETE n // 王芳 שלום a\\b\nc <b>&amp;</b> $x {y}"


# -- URLs: no server needed -------------------------------------------------------------------
@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in ("NEO4J_USERNAME", "NEO4J_PASSWORD", "NEO4J_DATABASE"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_url_parts_come_from_the_url_first(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("NEO4J_PASSWORD", "from-env")
    where = Neo4jURL.parse("neo4j+s://ana:p%40ss@db.example.com:7688/sales")
    assert (where.scheme, where.host, where.port, where.user, where.password, where.database) \
        == ("neo4j+s", "db.example.com", 7688, "ana", "p@ss", "sales")
    assert where.address == "neo4j+s://db.example.com:7688"
    assert where.redacted == "neo4j+s://ana@db.example.com:7688/sales"


def test_url_gaps_are_filled_from_the_environment(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("NEO4J_USERNAME", "bob")
    clean_env.setenv("NEO4J_PASSWORD", "s3cret")
    clean_env.setenv("NEO4J_DATABASE", "crm")
    where = Neo4jURL.parse("bolt://localhost")
    assert (where.user, where.password, where.database, where.port) == ("bob", "s3cret", "crm",
                                                                         7687)
    assert "s3cret" not in where.redacted


def test_url_defaults_without_environment(clean_env: pytest.MonkeyPatch) -> None:
    where = Neo4jURL.parse("bolt+ssc://[::1]:7000")
    assert (where.user, where.password, where.database) == ("neo4j", None, None)
    assert where.address == "bolt+ssc://[::1]:7000"


@pytest.mark.parametrize(("url", "fragment"), [
    ("http://localhost:7474", "talks to Neo4j over Bolt"),
    ("neo4j://localhost:notaport", "invalid port"),
    ("neo4j://:7687", "names no host"),
    ("neo4j://localhost/a/b", "one database name"),
    ("ftp://user:hunter2@host", "unknown store scheme"),
    ("localhost:7687", "no scheme"),
])
def test_bad_urls_are_refused_without_showing_the_password(url: str, fragment: str) -> None:
    with pytest.raises(StoreURLError, match=fragment) as caught:
        open_store(url.replace("localhost", "user:hunter2@localhost", 1))
    assert "hunter2" not in str(caught.value)


def test_redact_url_keeps_everything_but_the_password() -> None:
    assert redact_url("neo4j://u:p@h:1/db") == "neo4j://u@h:1/db"
    assert redact_url("neo4j://u:p:q@h") == "neo4j://u@h"
    assert redact_url("neo4j://h:1/db@x") == "neo4j://h:1/db@x"
    assert redact_url("memory://") == "memory://"


def test_batch_size_must_be_positive() -> None:
    with pytest.raises(StoreError, match="at least 1"):
        Neo4jStore("neo4j://localhost", batch_size=0)


# -- failures against real endpoints -----------------------------------------------------------
def test_server_down_is_a_one_line_connection_error(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("NEO4J_PASSWORD", "hunter2")
    with pytest.raises(StoreConnectionError) as caught:
        open_store("bolt://127.0.0.1:1")  # nothing listens on port 1
    message = str(caught.value)
    assert "bolt://neo4j@127.0.0.1:1" in message
    assert "check that the server is running" in message
    assert "hunter2" not in message
    assert "\n" not in message


@pytest.mark.neo4j
def test_wrong_password_names_the_user_and_what_to_check(
        neo4j_driver: Any, clean_env: pytest.MonkeyPatch) -> None:
    url = neo4j_test_url()
    with pytest.raises(StoreConnectionError, match="refused the credentials") as caught:
        open_store(url, password="definitely-wrong")
    assert "NEO4J_PASSWORD" in str(caught.value)
    assert "definitely-wrong" not in str(caught.value)


@pytest.mark.neo4j
def test_unknown_database_is_named(neo4j_driver: Any) -> None:
    with pytest.raises(StoreError, match="no database 'nosuchdb'") as caught:
        open_store(neo4j_driver, database="nosuchdb")
    assert "NEO4J_DATABASE" in str(caught.value)


@pytest.mark.neo4j
def test_a_driver_passed_in_stays_open_after_close(neo4j_driver: Any) -> None:
    store = open_store(neo4j_driver, database=neo4j_test_server().database)
    store.close()
    neo4j_driver.verify_connectivity()


# -- parity with the in-memory default ------------------------------------------------------------
def _through(store: GraphStore, portfolio: Portfolio) -> Portfolio:
    store.clear()
    return stakemap.StakeholderGraph.from_portfolio(portfolio, store).snapshot()


@pytest.mark.neo4j
def test_generated_portfolio_round_trips_with_small_batches(neo4j_driver: Any) -> None:
    portfolio = generate_portfolio(3, seed=7)
    store = open_store(neo4j_driver, database=neo4j_test_server().database, batch_size=97)
    try:
        assert _through(store, portfolio) == portfolio
        stakemap.StakeholderGraph.from_portfolio(portfolio, store)  # again: an upsert
        assert store.export() == portfolio
    finally:
        store.clear()


@pytest.mark.neo4j
@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(portfolio=portfolios())
def test_random_portfolios_round_trip_through_neo4j(portfolio: Portfolio,
                                                    neo4j_store: GraphStore) -> None:
    assert _through(neo4j_store, portfolio) == portfolio


@pytest.mark.neo4j
def test_hostile_text_in_every_field_is_stored_verbatim(neo4j_store: GraphStore) -> None:
    h = HOSTILE
    role = RoleDefinition(id="x-role", side=Side.CUSTOMER, name=h, description=h,
                          deliverable=h)
    portfolio = Portfolio.build(
        name=h, roles=[role],
        nodes=[
            Organization(id=f"us {h}", name=h, type=OrgKind.PROVIDER, description=h, tier=h),
            Organization(id=f"them {h}", name=h, type=OrgKind.CUSTOMER, tier=h,
                         parent=f"us {h}"),
            Person(id=f"p1 {h}", name=h, organization=f"them {h}", title=h, email=h, notes=h),
            Person(id=f"p2 {h}", name=h, organization=f"us {h}", title=h),
            Service(id=f"s {h}", name=h, description=h),
            Agreement(id=f"a {h}", name=h, description=h),
            Meeting(id=f"m {h}", name=h, date="2026-01-02", outcome=h),
        ],
        edges=[
            HoldsRole(source=f"p1 {h}", target=f"them {h}", role="x-role"),
            Relationship(source=f"p1 {h}", target=f"p2 {h}", notes=h),
            Provides(source=f"us {h}", target=f"s {h}"),
            Consumes(source=f"them {h}", target=f"s {h}", vital=True),
        ],
    )
    assert _through(neo4j_store, portfolio) == portfolio
    assert neo4j_store.nodes(title=h)[0].id == f"p1 {h}"
    assert neo4j_store.get_node(f"s {h}").name == h


# -- the layout Cypher rules rely on --------------------------------------------------------------
@pytest.mark.neo4j
def test_layout_uses_kind_labels_and_typed_relationships(
        neo4j_store: GraphStore, neo4j_driver: Any) -> None:
    stakemap.StakeholderGraph.from_portfolio(read_portfolio(EXAMPLES[0]), neo4j_store)
    records, _, _ = neo4j_driver.execute_query(
        "MATCH (n:StakemapNode) UNWIND labels(n) AS label RETURN collect(DISTINCT label) AS l",
        database_=neo4j_test_server().database)
    assert set(records[0]["l"]) == {"StakemapNode", "Organization", "Person", "Service",
                                    "Agreement", "Meeting"}
    records, _, _ = neo4j_driver.execute_query(
        "MATCH (:StakemapNode)-[r]->(:StakemapNode) RETURN collect(DISTINCT type(r)) AS t",
        database_=neo4j_test_server().database)
    assert "HOLDS_ROLE" in records[0]["t"]
    assert "RELATIONSHIP" in records[0]["t"]


@pytest.mark.neo4j
def test_a_node_that_changes_kind_changes_label(neo4j_store: GraphStore,
                                                neo4j_driver: Any) -> None:
    neo4j_store.put_nodes([Service(id="x", name="X")])
    neo4j_store.put_nodes([Agreement(id="x", name="X")])
    records, _, _ = neo4j_driver.execute_query(
        "MATCH (n:StakemapNode {id: 'x'}) RETURN labels(n) AS l",
        database_=neo4j_test_server().database)
    assert sorted(records[0]["l"]) == ["Agreement", "StakemapNode"]
    assert isinstance(neo4j_store.get_node("x"), Agreement)


def test_connect_accepts_options_only_for_neo4j() -> None:
    with pytest.raises(StoreURLError, match="takes no options"):
        open_store("memory://", batch_size=10)


# -- kinds, metadata and data written by someone's own Cypher ------------------------------------
def _cypher(driver: Any, query: str, **params: Any) -> list[Any]:
    records, _, _ = driver.execute_query(query, params, database_=neo4j_test_server().database)
    return list(records)


@pytest.mark.neo4j
def test_a_second_import_cannot_change_the_kind_of_a_linked_node(
        neo4j_store: GraphStore) -> None:
    first = read_portfolio(EXAMPLES[0])
    graph = stakemap.StakeholderGraph.from_portfolio(first, neo4j_store)
    provider = next(e.source for e in first.edges if isinstance(e, Provides))
    second = Portfolio.build(nodes=[Service(id=provider, name="Now a service")])
    with pytest.raises(GraphError, match=f"node '{provider}' is an organization with "
                       r"\d+ links, and this write would make it a service"):
        graph.put(second)
    exported = neo4j_store.export()
    assert exported == first  # every link still there, and still in the file
    assert len(exported.edges) == sum(neo4j_store.counts()[k.value] for k in EdgeKind)


@pytest.mark.neo4j
def test_concurrent_imports_leave_one_metadata_node(neo4j_store: GraphStore,
                                                    neo4j_driver: Any) -> None:
    portfolio = read_portfolio(EXAMPLES[1])
    database = neo4j_test_server().database

    def import_once(start: threading.Barrier) -> None:
        with open_store(neo4j_driver, database=database) as store:
            start.wait()  # both write at once: without the constraint, 29 rounds of 30 race
            stakemap.StakeholderGraph.from_portfolio(portfolio, store)

    for _ in range(10):
        neo4j_store.clear()
        _cypher(neo4j_driver, "DROP CONSTRAINT stakemap_portfolio_singleton IF EXISTS")
        start = threading.Barrier(2, timeout=60)
        with ThreadPoolExecutor(max_workers=2) as pool:
            for done in [pool.submit(import_once, start) for _ in range(2)]:
                done.result()
        (record,) = _cypher(neo4j_driver, "MATCH (m:StakemapPortfolio) RETURN count(m) AS n")
        assert record["n"] == 1
    assert neo4j_store.export() == portfolio


@pytest.mark.neo4j
def test_duplicate_metadata_from_earlier_versions_is_merged_on_the_next_write(
        neo4j_store: GraphStore, neo4j_driver: Any) -> None:
    _cypher(neo4j_driver, "DROP CONSTRAINT stakemap_portfolio_singleton IF EXISTS")
    _cypher(neo4j_driver, "CREATE (:StakemapPortfolio {singleton: true, name: 'a', roles: '[]'}),"
                          " (:StakemapPortfolio {singleton: true, name: 'b', roles: '[]'})")
    with open_store(neo4j_driver, database=neo4j_test_server().database) as store:
        store.set_metadata(name="c", roles=[])
        assert store.metadata() == ("c", ())
    (record,) = _cypher(neo4j_driver, "MATCH (m:StakemapPortfolio) RETURN count(m) AS n")
    assert record["n"] == 1
    names = [r["name"] for r in _cypher(neo4j_driver, "SHOW CONSTRAINTS YIELD name")]
    assert "stakemap_portfolio_singleton" in names


@pytest.mark.neo4j
def test_properties_of_the_users_own_are_ignored_on_read_and_kept_on_import(
        neo4j_store: GraphStore, neo4j_driver: Any) -> None:
    portfolio = read_portfolio(EXAMPLES[0])
    stakemap.StakeholderGraph.from_portfolio(portfolio, neo4j_store)
    person = next(n for n in portfolio.nodes if isinstance(n, Person))
    _cypher(neo4j_driver, "MATCH (n:StakemapNode {id: $id}) SET n.crm_id = 'C-1'",
            id=person.id)
    _cypher(neo4j_driver, "MATCH ()-[r:RELATIONSHIP]->() SET r.source_system = 'crm'")
    assert neo4j_store.get_node(person.id) == person
    assert neo4j_store.export() == portfolio
    stakemap.StakeholderGraph.from_portfolio(portfolio, neo4j_store)  # import again
    (record,) = _cypher(neo4j_driver, "MATCH (n:StakemapNode {id: $id}) RETURN n.crm_id AS c",
                        id=person.id)
    assert record["c"] == "C-1"
    records = _cypher(neo4j_driver, "MATCH ()-[r:RELATIONSHIP]->() RETURN r.source_system AS s")
    assert {r["s"] for r in records} == {"crm"}


@pytest.mark.neo4j
def test_an_import_removes_fields_the_new_version_leaves_unset(
        neo4j_store: GraphStore) -> None:
    graph = stakemap.StakeholderGraph(neo4j_store)
    graph.add_organization("acme", "Acme", type="provider")
    graph.add_person("ann", "Ann", organization="acme", title="CTO", influence=4)
    graph.add_person("ann", "Ann", organization="acme", replace=True)
    assert neo4j_store.get_node("ann") == Person(id="ann", name="Ann", organization="acme")


@pytest.mark.neo4j
def test_out_of_schema_data_is_reported_all_at_once_naming_node_and_property(
        neo4j_store: GraphStore, neo4j_driver: Any) -> None:
    stakemap.StakeholderGraph.from_portfolio(read_portfolio(EXAMPLES[0]), neo4j_store)
    person = neo4j_store.nodes(NodeKind.PERSON)[0].id
    _cypher(neo4j_driver, "MATCH (n:StakemapNode {id: $id}) SET n.influence = 9", id=person)
    _cypher(neo4j_driver, "CREATE (:StakemapNode {id: 'robo', kind: 'robot', name: 'R'})")
    with pytest.raises(StoreDataError) as caught:
        neo4j_store.export()
    messages = [p.message for p in caught.value.problems]
    assert len(messages) == 2, messages
    assert any(f"person '{person}': property 'influence' = 9" in m for m in messages)
    assert any("node 'robo': property 'kind' = 'robot' is not a kind of node" in m
               for m in messages)
    assert all(p.hint for p in caught.value.problems)
    assert isinstance(caught.value, StoreError)
    with pytest.raises(StoreDataError, match="influence"):
        neo4j_store.get_node(person)


@pytest.mark.neo4j
def test_assessments_are_one_json_text_property_beside_the_current_ratings(
        neo4j_store: GraphStore, neo4j_driver: Any) -> None:
    """The layout the README documents: Cypher reads the current stance directly."""
    stakemap.StakeholderGraph.from_portfolio(read_portfolio(EXAMPLES[1]), neo4j_store)
    (record,) = _cypher(neo4j_driver, "MATCH (p:Person {id: 'li-na'}) RETURN p.assessments "
                                      "AS a, p.stance AS stance, p.interest AS interest")
    assert isinstance(record["a"], str)
    assert [a["on"] for a in json.loads(record["a"])] == ["2026-03-10", "2026-09-15"]
    assert (record["stance"], record["interest"]) == ("neutral", 3)
    (none,) = _cypher(neo4j_driver, "MATCH (p:Person {id: 'tom-becker'}) "
                                    "RETURN p.assessments IS NULL AS missing")
    assert none["missing"]  # no assessments: no property


@pytest.mark.neo4j
def test_assessments_that_are_not_json_are_a_located_store_problem(
        neo4j_store: GraphStore, neo4j_driver: Any) -> None:
    stakemap.StakeholderGraph.from_portfolio(read_portfolio(EXAMPLES[1]), neo4j_store)
    _cypher(neo4j_driver, "MATCH (p:Person {id: 'li-na'}) SET p.assessments = '[{on:'")
    _cypher(neo4j_driver, "MATCH (p:Person {id: 'mark-jensen'}) "
                          "SET p.assessments = '[{\"on\": \"2026-01-01\"}]'")
    with pytest.raises(StoreDataError) as caught:
        neo4j_store.export()
    messages = [p.message for p in caught.value.problems]
    assert len(messages) == 2, messages
    assert any("person 'li-na': property 'assessments' is not JSON text" in m
               for m in messages)
    assert any("person 'mark-jensen': property 'assessments.0'" in m
               and "sets at least one of" in m for m in messages)
    assert all(p.hint for p in caught.value.problems)


@pytest.mark.neo4j
def test_directed_ties_are_typed_relationships_in_their_direction(
        neo4j_store: GraphStore, neo4j_driver: Any) -> None:
    graph = stakemap.StakeholderGraph.from_portfolio(read_portfolio(EXAMPLES[1]),
                                                     neo4j_store)
    graph.add_directed_tie("li-na", "mark-jensen", type="influences", strength=0.7)
    (record,) = _cypher(neo4j_driver, "MATCH (a)-[r:DIRECTED_TIE]->(b) "
                                      "RETURN a.id AS a, b.id AS b, r.type AS type")
    assert (record["a"], record["b"], record["type"]) == ("li-na", "mark-jensen", "influences")


# -- NEO4J_URI: the variables Neo4j's own tools, its GDS client and LangChain read ----------
def _uri_env(**values: str | None) -> dict[str, str | None]:
    """The environment of a user who set NEO4J_URI and friends, and no STAKEMAP_STORE."""
    env: dict[str, str | None] = {"STAKEMAP_STORE": None, "NEO4J_URI": neo4j_test_url(),
                                  "NEO4J_DATABASE": None, **neo4j_test_env()}
    return {**env, **values}


def _cli(*args: str, env: dict[str, str | None]) -> tuple[int, str, str]:
    from click.testing import CliRunner
    from stakemap_cli.app import cli

    result = CliRunner(env=env).invoke(cli, list(args))  # type: ignore[arg-type]
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.neo4j
def test_neo4j_uri_is_the_store_of_every_command(neo4j_store: GraphStore) -> None:
    msp = str(EXAMPLES[1])
    env = _uri_env()
    code, out, _ = _cli("import", msp, env=env)
    assert code == 0, out
    assert f"into {neo4j_test_server().redacted}" in out
    from_file = _cli("show", "--format", "json", msp, env=env)
    from_uri = _cli("show", "--format", "json", env=env)
    assert from_uri[0] == 0
    assert json.loads(from_uri[1]) == json.loads(from_file[1])
    code, out, _ = _cli("validate", env=env)
    assert (code, out.startswith(f"{neo4j_test_server().redacted}: ok (")) == (0, True)
    args = ("--playbook", "msp-account-team", "--as-of", "2026-11-01", "--format", "json")
    gaps_file = _cli("gaps", msp, *args, env=env)
    gaps_uri = _cli("gaps", *args, env=env)
    assert gaps_uri[0] == gaps_file[0] == 1
    assert json.loads(gaps_uri[1]) == json.loads(gaps_file[1])
    code, out, _ = _cli("export", "-o", "-", env=env)
    assert code == 0
    assert "northwind" in out


@pytest.mark.neo4j
def test_stakemap_store_and_store_option_come_before_neo4j_uri(
        neo4j_store: GraphStore) -> None:
    stakemap.StakeholderGraph.from_portfolio(read_portfolio(EXAMPLES[1]), neo4j_store)
    code, out, _ = _cli("show", "--format", "json",
                        env=_uri_env(STAKEMAP_STORE="memory://"))
    assert (code, json.loads(out)["customers"]) == (0, [])
    code, out, _ = _cli("show", "--format", "json", "--store", "memory://", env=_uri_env())
    assert (code, json.loads(out)["customers"]) == (0, [])
    code, out, _ = _cli("show", "--format", "json", env=_uri_env())
    assert [c["id"] for c in json.loads(out)["customers"]] == ["northwind"]


@pytest.mark.neo4j
@pytest.mark.skipif(bool(os.environ.get("STAKEMAP_TEST_NEO4J_URL")),
                    reason="needs the launcher's server, whose credentials the tests know")
@pytest.mark.parametrize("scheme", ["neo4j", "bolt"])
def test_neo4j_uri_schemes_credentials_and_database(neo4j_store: GraphStore,
                                                    scheme: str) -> None:
    stakemap.StakeholderGraph.from_portfolio(read_portfolio(EXAMPLES[1]), neo4j_store)
    where = neo4j_test_server()
    password = where.password or ""
    plain = f"{scheme}://{where.host}:{where.port}"
    env = _uri_env(NEO4J_URI=plain, NEO4J_USERNAME=where.user, NEO4J_PASSWORD=password,
                   NEO4J_DATABASE="neo4j")
    code, out, err = _cli("show", "--format", "json", env=env)
    assert code == 0, err
    assert [c["id"] for c in json.loads(out)["customers"]] == ["northwind"]
    # a password inside NEO4J_URI is allowed (the environment is not a command line) ...
    inside = f"{scheme}://{where.user}:{password}@{where.host}:{where.port}/neo4j"
    code, out, err = _cli("validate", env=_uri_env(NEO4J_URI=inside, NEO4J_PASSWORD=None))
    assert code == 0, err
    assert out.startswith(f"{scheme}://{where.user}@{where.host}:{where.port}/neo4j: ok (")
    assert password not in out + err
    # ... and never printed, also when it is wrong or the database does not exist
    wrong = f"{scheme}://{where.user}:not-{password}@{where.host}:{where.port}"
    code, out, err = _cli("show", env=_uri_env(NEO4J_URI=wrong, NEO4J_PASSWORD=None))
    assert code == 2
    assert f"{scheme}://{where.user}@{where.host}:{where.port}" in err
    assert password not in out + err
    assert len(err.strip().splitlines()) == 1
    code, _, err = _cli("show", env={**env, "NEO4J_DATABASE": "no-such-db"})
    assert code == 2
    assert f"{scheme}://{where.user}@{where.host}:{where.port}/no-such-db" in err
    assert password not in err
