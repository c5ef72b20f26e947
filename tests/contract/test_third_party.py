"""The shipped suite run on a third party's store exactly as docs/backends.md says to: a
package registers its stores by entry point, a 10-line conftest selects them, and the suite
passes a store that keeps the contract and catches ones that break it."""

from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET

import pytest

from stakemap.backends import ENTRY_POINT_GROUP
from tests.conftest import ROOT

FAKES = "tests.contract.fake_backends"

REGISTERED = {"mygraph": "SharedMemoryStore", "anymatch": "AnyMatchStore",
              "forgetful": "ForgetfulStore"}


@pytest.fixture
def third_party(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    """A project folder with an installed package (a real dist-info on the path) that
    registers the fake stores under the ``stakemap.backends`` entry-point group."""
    dist = pytester.path / "fake_backends-0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: fake-backends\nVersion: 0\n")
    (dist / "entry_points.txt").write_text(
        f"[{ENTRY_POINT_GROUP}]\n"
        + "".join(f"{scheme} = {FAKES}:{cls}\n" for scheme, cls in REGISTERED.items()))
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(pytester.path), str(ROOT)]))
    monkeypatch.delenv("PYTEST_ADDOPTS", raising=False)
    return pytester


def _outcomes(pytester: pytest.Pytester, *args: str) -> dict[str, str]:
    """Run pytest in a child process; each test's outcome by its id (``Class::test[param]``)."""
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--junitxml=out.xml",
                                           *args)
    assert result.ret in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED), \
        "\n".join(result.outlines + result.errlines)
    found: dict[str, str] = {}
    for case in ET.parse(pytester.path / "out.xml").getroot().iter("testcase"):
        outcome = next((c.tag for c in case if c.tag in ("failure", "error", "skipped")),
                       "passed")
        found[f"{case.get('classname', '').rpartition('.')[2]}::{case.get('name')}"] = outcome
    return found


def test_the_documented_setup_runs_the_whole_suite_on_a_third_party_store(
        third_party: pytest.Pytester) -> None:
    doc = (ROOT / "docs" / "backends.md").read_text(encoding="utf-8")
    files = dict(re.findall(r"```python\n# (\S+\.py)\n(.*?)```", doc, re.DOTALL))
    assert set(files) == {"conftest.py", "test_stakemap_contract.py"}
    assert len(files["conftest.py"].splitlines()) <= 10
    for name, text in files.items():
        (third_party.path / name).write_text(text)
    outcomes = _outcomes(third_party)
    assert [t for t, o in outcomes.items() if o != "passed"] == []
    assert len(outcomes) >= 50
    assert all(t.endswith("[mygraph]") or "[mygraph-" in t for t in outcomes)
    # the store declares PERSISTENT truthfully, so the persistence test ran, and passed
    assert outcomes["TestLifecycle::test_data_survives_closing_and_opening_again[mygraph]"] \
        == "passed"


def test_the_suite_catches_a_broken_store(third_party: pytest.Pytester) -> None:
    third_party.makeconftest("""
        from stakemap.testing import Backend

        pytest_plugins = ["stakemap.testing.plugin"]

        def pytest_stakemap_backends(config):
            return [Backend.from_url(f"{scheme}://broken-test")
                    for scheme in ("mygraph", "anymatch", "forgetful")]
    """)
    third_party.makepyfile(test_contract="from stakemap.testing.suite import *  # noqa")
    outcomes = _outcomes(third_party, "-k", "conjunctive or survives")
    conjunctive = "TestReads::test_filters_are_conjunctive"
    survives = "TestLifecycle::test_data_survives_closing_and_opening_again"
    assert outcomes == {
        f"{conjunctive}[mygraph]": "passed",
        f"{conjunctive}[anymatch]": "failure",    # answers any filter, not all of them
        f"{conjunctive}[forgetful]": "passed",
        f"{survives}[mygraph]": "passed",
        f"{survives}[anymatch]": "skipped",       # declares no PERSISTENT: skipped, not failed
        f"{survives}[forgetful]": "failure",      # declares PERSISTENT and forgets
    }


def test_stakemap_backend_chooses_among_the_offered_backends(
        third_party: pytest.Pytester) -> None:
    third_party.makeconftest("""
        from stakemap.testing import MEMORY, Backend

        pytest_plugins = ["stakemap.testing.plugin"]

        def pytest_stakemap_backends(config):
            return [MEMORY, Backend.from_url("mygraph://chosen")]
    """)
    third_party.makepyfile(test_contract="from stakemap.testing.suite import *  # noqa")
    assert set(_outcomes(third_party, "-k", "test_has_node")) == {
        "TestReads::test_has_node[memory]", "TestReads::test_has_node[mygraph]"}
    assert set(_outcomes(third_party, "-k", "test_has_node", "--stakemap-backend",
                         "mygraph")) == {"TestReads::test_has_node[mygraph]"}
    result = third_party.runpytest_subprocess("--stakemap-backend", "nosuch")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*--stakemap-backend nosuch: no such backend; the conftest "
                                 "offers: memory, mygraph*"])
