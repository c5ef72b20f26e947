"""Graph export: every format reads back to the portfolio it was written from (GraphML and
GEXF through networkx's own readers, CSV through the csv module, the Cypher script run
against a real Neo4j), hostile text included; the CLI's exit codes and one-line errors;
the pandas frames."""

from __future__ import annotations

import csv
import io
import sys
import xml.etree.ElementTree as ET
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from click.testing import CliRunner
from stakemap_cli.app import cli

import stakemap
from stakemap.backends import GraphStore
from stakemap.backends.neo4j_script import cypher_script, cypher_string
from stakemap.errors import MissingDependencyError, OutputError, UsageError
from stakemap.exports.csv_tables import NODE_TABLES, csv_tables, write_csv
from stakemap.exports.gexf import gexf_bytes, read_gexf
from stakemap.exports.graphml import graphml_bytes, read_graphml
from stakemap.exports.networkx_graph import portfolio_from_networkx, portfolio_to_networkx
from stakemap.generate import generate_portfolio
from stakemap.model import (
    Agreement,
    Attended,
    Consumes,
    DecisionAuthority,
    DirectedTie,
    HoldsRole,
    Meeting,
    Organization,
    Owns,
    PartyTo,
    Person,
    Portfolio,
    Provides,
    Relationship,
    ReportsTo,
    Service,
)
from stakemap.model.integrity import check_portfolio
from stakemap.model.nodes import Assessment
from stakemap.testing.suite.contract import HOSTILE, every_kind
from tests.conftest import EXAMPLES

FORMULA = "=cmd|' /C calc'!A0"
QUOTED = 'say "hi",\nthen leave'
TEXTS = [*HOSTILE, FORMULA, QUOTED, "tab\there", "cr\rlf\r\n"]


def hostile() -> Portfolio:
    """A valid portfolio whose ids, names and free text are all hostile."""
    cust = HOSTILE[2]
    people = [Person(id=f"p{i} {t}", name=t, organization=cust if i % 2 else "us",
                     title=t, notes=t, email=t, external_ids={"crm": t},
                     assessments=(Assessment(on=date(2026, 1, 1 + i), by=t, influence=3),))
              for i, t in enumerate(TEXTS)]
    customer_side = [p for p in people if p.organization == cust]
    ours = [p for p in people if p.organization == "us"]
    nodes = [Organization(id="us", name=FORMULA, type="provider", description=QUOTED),
             Organization(id=cust, name=HOSTILE[0], type="customer", tier=HOSTILE[7],
                          phase="operations"),
             Service(id=HOSTILE[1], name=HOSTILE[5], description=HOSTILE[6]),
             Agreement(id=HOSTILE[3], name=HOSTILE[4], renewal=date(2027, 1, 1),
                       notice_days=30, description=FORMULA),
             Meeting(id=HOSTILE[4], name=QUOTED, date=date(2026, 5, 1), outcome=FORMULA),
             *people]
    edges = [Provides(source="us", target=HOSTILE[1]),
             Consumes(source=cust, target=HOSTILE[1], vital=True),
             PartyTo(source=cust, target=HOSTILE[3]), PartyTo(source="us", target=HOSTILE[3]),
             HoldsRole(source=ours[0].id, target=cust, role="account-manager",
                       since=date(2026, 1, 1)),
             HoldsRole(source=customer_side[0].id, target=cust, role="executive-sponsor",
                       phase="operations"),
             Owns(source=ours[0].id, target=HOSTILE[1]),
             DecisionAuthority(source=customer_side[0].id, target=HOSTILE[3], scope="budget"),
             ReportsTo(source=customer_side[1].id, target=customer_side[0].id, line="dotted"),
             Relationship(source=ours[0].id, target=customer_side[0].id, strength=0.25,
                          sentiment="positive", last_contact=date(2026, 4, 1), notes=QUOTED),
             DirectedTie(source=customer_side[0].id, target=customer_side[1].id,
                         type="influences", strength=0.5, notes=HOSTILE[2]),
             *(Attended(source=p.id, target=HOSTILE[4]) for p in (ours[0], customer_side[0]))]
    portfolio = Portfolio.build(name=QUOTED, nodes=nodes, edges=edges)
    assert check_portfolio(portfolio) == []
    return portfolio


def portfolios() -> list[Any]:
    return [pytest.param(every_kind, id="every-kind"), pytest.param(hostile, id="hostile"),
            pytest.param(lambda: generate_portfolio(3, seed=1), id="generated"),
            *(pytest.param(lambda f=f: stakemap.read_portfolio(f), id=f.stem)
              for f in EXAMPLES)]


# -- networkx, GraphML, GEXF -------------------------------------------------------------------
@pytest.mark.parametrize("make", portfolios())
def test_graphml_is_well_formed_and_reads_back_equal(make: Any, tmp_path: Path) -> None:
    portfolio = make()
    data = graphml_bytes(portfolio)
    ET.fromstring(data)
    path = tmp_path / "g.graphml"
    nx.write_graphml(stakemap.StakeholderGraph.from_portfolio(portfolio).to_networkx(), path)
    ET.parse(path)
    back = nx.read_graphml(io.BytesIO(data), force_multigraph=True)
    assert _same_graph(back, portfolio_to_networkx(portfolio))
    assert read_graphml(io.BytesIO(data)) == portfolio
    rebuilt = stakemap.StakeholderGraph.from_networkx(back)
    assert rebuilt.snapshot() == portfolio


@pytest.mark.parametrize("make", portfolios())
def test_gexf_is_well_formed_and_reads_back_equal(make: Any) -> None:
    portfolio = make()
    data = gexf_bytes(portfolio)
    ET.fromstring(data)
    back = nx.read_gexf(io.BytesIO(data))
    assert sorted(back.nodes) == sorted(n.id for n in portfolio.nodes)
    assert back.number_of_edges() == len(portfolio.edges)
    for node in portfolio.nodes:  # Gephi shows the name
        assert back.nodes[node.id]["label"] == node.name
    assert read_gexf(io.BytesIO(data)) == portfolio


def test_to_networkx_holds_only_what_writers_accept() -> None:
    graph = stakemap.StakeholderGraph.from_portfolio(hostile()).to_networkx()
    values = [*graph.graph.values(),
              *(v for _, d in graph.nodes(data=True) for v in d.values()),
              *(v for _, _, d in graph.edges(data=True) for v in d.values())]
    assert all(type(v) in (str, int, float, bool) for v in values)
    keys = [k for _, _, k in graph.edges(keys=True)]
    assert all(k.isprintable() for k in keys)
    assert "holds_role|executive-sponsor|operations" in keys
    assert portfolio_from_networkx(graph) == hostile()


def test_graphml_and_gexf_refuse_text_xml_cannot_hold(tmp_path: Path) -> None:
    bad = Portfolio.build(nodes=[Organization(id="us", name="bell\x07", type="provider")])
    for fmt in ("graphml", "gexf"):
        target = tmp_path / f"g.{fmt}"
        with pytest.raises(UsageError, match="U\\+0007 in node 'us' \\(name\\)"):
            stakemap.export_graph(bad, target)
        assert not target.exists()
    stakemap.export_graph(bad, tmp_path / "g.cypher")  # the script can


def test_from_networkx_checks_the_graph() -> None:
    graph = portfolio_to_networkx(every_kind())
    graph.remove_node("us")
    with pytest.raises(stakemap.GraphError, match="from_networkx"):
        stakemap.StakeholderGraph.from_networkx(graph)


def _same_graph(a: Any, b: Any) -> bool:
    return (dict(a.nodes(data=True)) == dict(b.nodes(data=True))
            and sorted(a.edges(keys=True, data=True), key=str)
            == sorted(b.edges(keys=True, data=True), key=str)
            and {k: v for k, v in a.graph.items() if k not in ("node_default", "edge_default")}
            == b.graph)


# -- CSV -----------------------------------------------------------------------------------
def _read_tables(files: dict[str, str]) -> dict[str, list[dict[str, str]]]:
    return {name: list(csv.DictReader(io.StringIO(text, newline=""))) for name, text in
            files.items()}


def test_csv_tables_one_per_kind_with_hostile_text_escaped(tmp_path: Path) -> None:
    portfolio = hostile()
    write_csv(portfolio, tmp_path / "out")
    files = {p.name: p.read_text(encoding="utf-8") for p in (tmp_path / "out").iterdir()}
    assert set(NODE_TABLES.values()) <= set(files)
    assert {"holds_role.csv", "relationship.csv", "directed_tie.csv"} <= set(files)
    tables = _read_tables(files)
    people = {row["id"]: row for row in tables["people.csv"]}
    for person in (n for n in portfolio.nodes if isinstance(n, Person)):
        row = people[stakemap.escape.csv_cell(person.id)]
        expected = stakemap.escape.csv_cell(person.name)
        assert row["name"] == expected
        assert row["notes"] == expected
    # what a spreadsheet would run as a formula is text; quotes and newlines stay in one cell
    (us,) = [r for r in tables["organizations.csv"] if r["id"] == "us"]
    assert us["name"] == "'" + FORMULA
    assert us["description"] == QUOTED
    assert not any(cell.startswith(("=", "+", "-", "@"))
                   for rows in tables.values() for row in rows for cell in row.values())
    assert len(tables["attended.csv"]) == 2
    (rel,) = tables["relationship.csv"]
    assert (rel["strength"], rel["sentiment"], rel["notes"]) == ("0.25", "positive", QUOTED)


def test_csv_zip_holds_the_same_tables(tmp_path: Path) -> None:
    portfolio = every_kind()
    stakemap.export_graph(portfolio, tmp_path / "graph.zip")
    with zipfile.ZipFile(tmp_path / "graph.zip") as archive:
        inside = {n: archive.read(n).decode("utf-8") for n in archive.namelist()}
    assert inside == csv_tables(portfolio)
    assert "roles.csv" in inside


# -- Cypher --------------------------------------------------------------------------------
def test_cypher_strings_escape_quotes_backslashes_and_controls() -> None:
    assert cypher_string("O'Brien \"Bob\"") == "'O\\'Brien \\\"Bob\\\"'"
    assert cypher_string("a\\b\nc") == "'a\\\\b\\nc'"
    assert cypher_string("x\x1fy\u2028") == "'x\\u001Fy\\u2028'"
    assert cypher_string("王芳") == "'王芳'"


def test_cypher_script_is_one_statement_a_line_with_fixed_labels() -> None:
    script = cypher_script(hostile())
    statements = _statements(script)
    assert all(s.startswith(("CREATE ", "MATCH ", "MERGE ")) for s in statements)
    assert "$" not in "".join(s.split("'")[0] for s in statements)  # no parameters
    assert len(statements) == len(hostile().nodes) + len(hostile().edges) + 15


def _statements(script: str) -> list[str]:
    return [line.removesuffix(";") for line in script.splitlines()
            if line and not line.startswith("//")]


def _raw(store: Any) -> tuple[list[Any], list[Any]]:
    """Every node's labels and properties and every relationship, as Neo4j holds them."""
    with store._driver.session(database=store._database) as session:
        nodes = sorted(((sorted(r["l"]), sorted(r["p"].items(), key=str)) for r in session.run(
            "MATCH (n) RETURN labels(n) AS l, properties(n) AS p")), key=str)
        rels = sorted(((r["t"], r["a"], r["b"], sorted(r["p"].items(), key=str))
                       for r in session.run(
            "MATCH (a)-[r]->(b) RETURN type(r) AS t, a.id AS a, b.id AS b, "
            "properties(r) AS p")), key=str)
    return nodes, rels


@pytest.mark.neo4j
@pytest.mark.parametrize("make", portfolios())
def test_the_cypher_script_builds_what_the_store_imports(make: Any,
                                                         neo4j_store: GraphStore) -> None:
    portfolio = make()
    store: Any = neo4j_store
    statements = _statements(cypher_script(portfolio))
    schema = [s for s in statements if s.lstrip().upper().startswith(("CREATE ", "DROP "))]
    with store._driver.session(database=store._database) as session:
        for statement in schema:  # schema changes may not share a transaction with writes
            session.run(statement).consume()
        with session.begin_transaction() as tx:  # each MERGE as written, one commit: fast
            for statement in statements:
                if statement not in schema:
                    tx.run(statement).consume()
            tx.commit()
    assert stakemap.StakeholderGraph(neo4j_store).snapshot() == portfolio
    by_script = _raw(store)
    neo4j_store.clear()
    stakemap.StakeholderGraph.from_portfolio(portfolio, neo4j_store)
    assert _raw(store) == by_script


# -- the CLI -------------------------------------------------------------------------------
def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


@pytest.mark.parametrize(("name", "reader"), [
    ("g.graphml", read_graphml), ("g.gexf", read_gexf)])
def test_cli_export_file_to_graph_formats(tmp_path: Path, name: str, reader: Any) -> None:
    source = EXAMPLES[0]
    code, _ = _run("export", str(source), "-o", str(tmp_path / name))
    assert code == 0
    assert reader(tmp_path / name) == stakemap.read_portfolio(source)


def test_cli_export_csv_folder_cypher_and_portfolio(tmp_path: Path) -> None:
    source = str(EXAMPLES[0])
    assert _run("export", source, "-o", f"{tmp_path}/tables/")[0] == 0
    assert (tmp_path / "tables" / "people.csv").exists()
    assert _run("export", source, "--format", "csv", "-o", str(tmp_path / "t2"))[0] == 0
    assert (tmp_path / "t2" / "meetings.csv").exists()
    assert _run("export", source, "-o", str(tmp_path / "g.cypher"))[0] == 0
    assert "MERGE (n:StakemapNode" in (tmp_path / "g.cypher").read_text(encoding="utf-8")
    assert _run("export", source, "-o", str(tmp_path / "p.json"))[0] == 0
    assert stakemap.read_portfolio(tmp_path / "p.json") == stakemap.read_portfolio(source)


def test_cli_export_from_a_store_still_writes_a_portfolio(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    """Without --format the old use keeps working: --store to a .yaml file (memory:// holds
    nothing across processes, so an empty graph)."""
    code, _ = _run("export", "--store", "memory://", "-o", str(tmp_path / "backup.yaml"))
    assert code == 0
    assert stakemap.read_portfolio(tmp_path / "backup.yaml") == Portfolio()


@pytest.mark.parametrize(("args", "message"), [
    (["--format", "xml", "-o", "g.xml"], "'xml' is not one of"),
    (["-o", "g.txt"], "cannot tell the export format from the name"),
    (["--format", "graphml", "-o", "-"], "not stdout"),
    (["-o", "/nonexistent/folder/g.graphml"], "does not exist"),
])
def test_cli_export_errors_exit_2_and_write_nothing(tmp_path: Path, args: list[str],
                                                    message: str,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, output = _run("export", str(EXAMPLES[0]), *args)
    assert code == 2
    assert message in output
    assert "Traceback" not in output
    assert list(tmp_path.iterdir()) == []


def test_cli_export_refuses_text_xml_cannot_hold_in_one_line(tmp_path: Path) -> None:
    bad = Portfolio.build(nodes=[Organization(id="us", name="bell\x07", type="provider")])
    stakemap.save_portfolio(bad, tmp_path / "bad.json")
    code, output = _run("export", str(tmp_path / "bad.json"), "-o", str(tmp_path / "g.gexf"))
    assert code == 2
    assert output.count("\n") == 1
    assert output.startswith("stakemap: error: GEXF cannot hold")
    assert not (tmp_path / "g.gexf").exists()


def test_export_into_a_read_only_folder_is_an_output_error(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        if (folder / "probe").parent.stat().st_mode & 0o200 or _is_root():
            pytest.skip("running as root: a read-only folder is writable")
        with pytest.raises(OutputError):
            stakemap.export_graph(every_kind(), folder / "g.graphml")
        with pytest.raises(OutputError):
            stakemap.export_graph(every_kind(), folder / "sub/")
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o700)


def _is_root() -> bool:
    import os

    return hasattr(os, "geteuid") and os.geteuid() == 0


# -- pandas ----------------------------------------------------------------------------------
def test_people_frame_and_findings_frame() -> None:
    # pandas is in the dev extra: missing, this fails rather than skips
    graph = stakemap.StakeholderGraph.from_portfolio(every_kind())
    people = graph.people_frame()
    assert list(people.columns)[:3] == ["id", "name", "organization"]
    cleo = people.set_index("id").loc["cleo"]
    assert (cleo["side"], cleo["stance"], cleo["influence"]) == ("customer", "supporter", 5)
    assert cleo["roles"] == ["x-sponsor@acme"]
    assert len(people) == sum(isinstance(n, Person) for n in every_kind().nodes)
    report = stakemap.find_gaps(graph, as_of=date(2026, 11, 1))
    frame = report.to_pandas()
    assert len(frame) == len(report.findings)
    assert {"code", "rule_type", "severity", "customer", "subject", "message",
            "remediation"} <= set(frame.columns)
    assert frame.attrs["as_of"] == "2026-11-01"


@pytest.mark.neo4j
def test_the_frames_are_the_same_on_neo4j(neo4j_store: GraphStore) -> None:
    portfolio = every_kind()
    memory = stakemap.StakeholderGraph.from_portfolio(portfolio)
    neo4j = stakemap.StakeholderGraph.from_portfolio(portfolio, neo4j_store)
    assert neo4j.people_frame().equals(memory.people_frame())
    day = date(2026, 11, 1)
    assert stakemap.find_gaps(neo4j, as_of=day).to_pandas().equals(
        stakemap.find_gaps(memory, as_of=day).to_pandas())


def test_frames_without_pandas_name_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)
    graph = stakemap.StakeholderGraph.from_portfolio(every_kind())
    with pytest.raises(MissingDependencyError, match=r"pip install 'stakemap\[pandas\]'"):
        graph.people_frame()
    with pytest.raises(MissingDependencyError, match="stakemap\\[pandas\\]"):
        stakemap.find_gaps(graph).to_pandas()
