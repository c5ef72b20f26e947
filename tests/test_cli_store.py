"""The CLI against stores: --store on reading commands, import, export, and failures that end
in one line and exit code 2."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from stakemap_cli.app import cli

from stakemap.backends import GraphStore
from stakemap.files.load import read_portfolio
from stakemap.files.save import write_portfolio
from stakemap.generate import generate_portfolio
from tests.conftest import EXAMPLES, ROOT, neo4j_test_env, neo4j_test_server, neo4j_test_url

EXAMPLE = ROOT / "examples" / "msp-operations.yaml"
LAUNCHER = ROOT / "tools" / "neo4j" / "neo4j.sh"


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner(env=env).invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_password_on_the_command_line_is_refused_before_connecting() -> None:
    code, _, err = run("show", "--store", "neo4j://ana:hunter2@127.0.0.1:1")
    assert code == 2
    assert "NEO4J_PASSWORD" in err
    assert "cannot reach" not in err  # refused before any connection attempt


def test_file_and_store_together_is_a_usage_error() -> None:
    code, _, err = run("show", str(EXAMPLE), "--store", "memory://")
    assert code == 2
    assert "not both" in err


def test_a_file_beats_the_store_from_the_environment() -> None:
    code, out, _ = run("show", str(EXAMPLE), env={"STAKEMAP_STORE": "bolt://127.0.0.1:1"})
    assert code == 0
    assert "Northwind" in out


def test_reading_commands_need_a_source() -> None:
    for command in ("show", "validate", "export"):
        args = ("-o", "out.yaml") if command == "export" else ()  # what export must have
        code, _, err = run(command, *args, env={"STAKEMAP_STORE": None})  # type: ignore[dict-item]
        assert code == 2, command
        assert "--store" in err, command


def test_server_down_is_one_line_and_exit_2() -> None:
    code, out, err = run("show", "--store", "bolt://127.0.0.1:1",
                         env={"NEO4J_PASSWORD": "hunter2"})
    assert code == 2
    assert err.strip().count("\n") == 0
    assert err.startswith("stakemap: error: cannot reach Neo4j at bolt://neo4j@127.0.0.1:1")
    assert "hunter2" not in err + out
    assert "Traceback" not in err


@pytest.fixture
def neo4j_env(neo4j_store: GraphStore) -> dict[str, str]:
    """Credentials for the test server; the store fixture empties it before and after."""
    return {**neo4j_test_env(), "STAKEMAP_STORE": None}  # type: ignore[dict-item]


@pytest.mark.neo4j
def test_import_twice_changes_nothing_and_export_gives_the_file_back(
        neo4j_env: dict[str, str], neo4j_store: GraphStore, tmp_path: Path) -> None:
    url = neo4j_test_url()
    code, out, err = run("import", str(EXAMPLE), "--store", url, env=neo4j_env)
    assert (code, err) == (0, "")
    assert "13 people" in out
    assert "rows/s" in out
    first = neo4j_store.export()
    assert run("import", str(EXAMPLE), "--store", url, env=neo4j_env)[0] == 0
    assert neo4j_store.export() == first == read_portfolio(EXAMPLE)
    target = tmp_path / "back.json"
    code, _, err = run("export", "--store", url, "-o", str(target), env=neo4j_env)
    assert code == 0
    assert "exported" in err
    assert read_portfolio(target) == read_portfolio(EXAMPLE)


@pytest.mark.neo4j
def test_reading_commands_take_the_store_from_the_environment(
        neo4j_env: dict[str, str]) -> None:
    url = neo4j_test_url()
    assert run("import", str(EXAMPLES[1]), "--store", url, env=neo4j_env)[0] == 0
    env = {**neo4j_env, "STAKEMAP_STORE": url}
    from_file = run("show", "--format", "json", str(EXAMPLES[1]))[1]
    code, from_store, _ = run("show", "--format", "json", env=env)
    assert code == 0
    assert from_store == from_file
    code, out, _ = run("validate", env=env)
    assert code == 0
    assert out.startswith("bolt://")
    assert ": ok (" in out
    assert run("roles", env=env)[1] == run("roles", str(EXAMPLES[1]))[1]
    code, out, _ = run("export", "-o", "-", env=env)
    assert code == 0
    assert out.startswith("stakemap: 2")


@pytest.mark.neo4j
def test_wrong_password_and_unknown_database_exit_2_with_one_line(
        neo4j_env: dict[str, str]) -> None:
    url = neo4j_test_url()
    code, out, err = run("show", "--store", url, env={**neo4j_env, "NEO4J_PASSWORD": "nope!"})
    assert code == 2
    assert err.count("\n") == 1
    assert "refused the credentials" in err
    assert "nope!" not in out + err
    code, _, err = run("show", "--store", url.rstrip("/") + "/nosuchdb", env=neo4j_env)
    assert code == 2
    assert err.count("\n") == 1
    assert "no database 'nosuchdb'" in err


# -- a server killed in the middle of an import --------------------------------------------------
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _launcher(command: str, port: int, *args: str) -> None:
    env = {**os.environ, "STAKEMAP_NEO4J_PORT": str(port), "STAKEMAP_PYTHON": sys.executable}
    subprocess.run([str(LAUNCHER), command, *args], env=env, check=True,
                   stdout=subprocess.DEVNULL, timeout=300)


def _stakemap(*args: str, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "stakemap_cli", *args],
                            env={**os.environ, **env}, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _node_count(url: str) -> int:
    import neo4j

    password = neo4j_test_env().get("NEO4J_PASSWORD", "")
    with neo4j.GraphDatabase.driver(url, auth=("neo4j", password),
                                     notifications_min_severity="OFF") as driver:
        records, _, _ = driver.execute_query("MATCH (n:StakemapNode) RETURN count(n) AS n")
        return int(records[0]["n"])


@pytest.mark.neo4j
def test_server_killed_mid_import_fails_cleanly_and_a_rerun_completes(tmp_path: Path) -> None:
    if os.environ.get("STAKEMAP_TEST_NEO4J_URL"):
        pytest.skip("kills and restarts a server, so it needs the project's own launcher")
    port = _free_port()
    url = f"bolt://127.0.0.1:{port}"
    portfolio = generate_portfolio(25, seed=3)
    source = tmp_path / "big.yaml"
    write_portfolio(portfolio, source)
    env: dict[str, Any] = {"NEO4J_PASSWORD": os.environ.get("STAKEMAP_NEO4J_PASSWORD",
                                                            "stakemap-test"),
                           "STAKEMAP_NEO4J_RETRY_SECONDS": "2", "STAKEMAP_STORE": ""}
    _launcher("start", port, "--fresh")
    try:
        importing = _stakemap("import", str(source), "--store", url, "--batch-size", "25",
                              env=env)
        deadline = time.monotonic() + 120
        while _node_count(url) == 0:
            assert importing.poll() is None, importing.communicate()
            assert time.monotonic() < deadline
            time.sleep(0.05)
        pid = int((LAUNCHER.parent / "target" / f"run-{port}" / "neo4j.pid").read_text())
        os.kill(pid, signal.SIGKILL)
        out, err = importing.communicate(timeout=120)
        assert importing.returncode == 2, (out, err)
        assert err.count("\n") == 1, err
        assert err.startswith("stakemap: error: ")
        assert f"neo4j@127.0.0.1:{port}" in err
        assert "Traceback" not in err
        assert env["NEO4J_PASSWORD"] not in err

        _launcher("start", port)  # same data folder: Neo4j recovers what was committed
        rerun = _stakemap("import", str(source), "--store", url, env=env)
        out, err = rerun.communicate(timeout=300)
        assert rerun.returncode == 0, err
        from stakemap.backends import open_store

        store = open_store(url, password=env["NEO4J_PASSWORD"])
        try:
            assert store.export() == portfolio  # everything there, nothing twice
            counts = store.counts()
            assert counts["person"] == sum(1 for n in portfolio.nodes if n.kind == "person")
            assert counts["relationship"] == sum(
                1 for e in portfolio.edges if e.kind == "relationship")
        finally:
            store.close()
    finally:
        _launcher("stop", port)
        shutil.rmtree(LAUNCHER.parent / "target" / f"run-{port}", ignore_errors=True)


# -- a store holding data stakemap's model does not allow ---------------------------------------
@pytest.mark.neo4j
def test_out_of_schema_data_in_a_store_is_one_line_per_problem_and_exit_2(
        neo4j_env: dict[str, str], neo4j_store: GraphStore, neo4j_driver: Any,
        tmp_path: Path) -> None:
    url = neo4j_test_url()
    assert run("import", str(EXAMPLE), "--store", url, env=neo4j_env)[0] == 0
    database = {"database_": neo4j_test_server().database}
    neo4j_driver.execute_query(
        "MATCH (n:StakemapNode {id: 'li-na'}) SET n.influence = 9, n.crm_id = 'C-7'",
        **database)
    neo4j_driver.execute_query(
        "CREATE (:StakemapNode {id: 'robo', kind: 'robot', name: 'Robot'})", **database)
    neo4j_driver.execute_query(
        "MATCH ()-[r:RELATIONSHIP]->() WITH r LIMIT 1 SET r.strength = 7", **database)
    neo4j_driver.execute_query(  # a provider relabelled by hand: its links no longer fit
        "MATCH (n:StakemapNode {id: 'bluepeak'}) SET n.kind = 'service'", **database)
    target = tmp_path / "out.yaml"
    env = {k: v for k, v in {**os.environ, **neo4j_env}.items() if v is not None}
    for command in (["validate"], ["show"], ["export", "-o", str(target)]):
        done = subprocess.run([sys.executable, "-m", "stakemap_cli", *command, "--store", url],
                              env=env, capture_output=True, text=True, timeout=120, check=False)
        assert done.returncode == 2, (command, done.stderr)
        assert "Traceback" not in done.stderr
        lines = done.stderr.splitlines()
        assert all(line.startswith(f"{url.split('//')[0]}//neo4j@") for line in lines), lines
        assert any("person 'li-na': property 'influence' = 9" in line for line in lines)
        assert any("node 'robo': property 'kind' = 'robot'" in line for line in lines)
        assert any("relationship '" in line and "property 'strength' = 7" in line
                   for line in lines)
        assert any("organization 'bluepeak'" in line or "'bluepeak' -> " in line
                   for line in lines), lines
        assert not any("crm_id" in line for line in lines)  # the user's own: ignored
        if command == ["validate"]:
            assert lines[-1].endswith(f": invalid ({len(lines) - 1} problems)"), lines
    assert not target.exists()  # nothing written, rather than a file missing links

    # the commands that run rules in the database read only the accounts' own properties
    neo4j_driver.execute_query(
        "MATCH (n:StakemapNode {id: 'northwind'}) SET n.phase = 'nonsense'", **database)
    for command in (["gaps"], ["render", "--customer", "northwind", "-o", str(tmp_path / "d.dot")],
                    ["report", "--customer", "northwind", "-o", str(tmp_path / "p.md")]):
        done = subprocess.run([sys.executable, "-m", "stakemap_cli", *command, "--store", url],
                              env=env, capture_output=True, text=True, timeout=120, check=False)
        assert done.returncode == 2, (command, done.stderr)
        assert "Traceback" not in done.stderr
        assert "internal error" not in done.stderr
        assert "organization 'northwind': property 'phase' = 'nonsense' is not one of: " \
               "buying, implementation, operations" in done.stderr, done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == []
