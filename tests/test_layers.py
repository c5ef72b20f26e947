"""The structure holds: every import points down the layers, the CLI uses only the public
API, and the import-free choice lists agree with the library's own vocabularies."""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType

import pytest

import stakemap
from stakemap import choices
from tests.conftest import ROOT


def _tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("stakemap_imports",
                                                  ROOT / "tools" / "imports.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_no_import_points_up_a_layer() -> None:
    assert _tool().upward_imports() == []


def test_the_layer_check_sees_an_upward_import(monkeypatch: pytest.MonkeyPatch) -> None:
    """A negative control: an import of a higher layer is reported, one of a lower is not."""
    tool = _tool()
    monkeypatch.setattr(tool, "edges", lambda: [
        ("rules", "analysis", "stakemap/rules/x.py", 3),
        ("analysis", "rules", "stakemap/analysis/y.py", 4)])
    assert tool.upward_imports() == ["stakemap/rules/x.py:3: rules -> analysis"]
    # the table is built from real files: the rules package really imports the model
    monkeypatch.undo()
    assert ("rules", "model") in {(a, b) for a, b, _, _ in tool.edges()}


def test_the_cli_imports_only_public_modules() -> None:
    assert _tool().cli_private_imports() == []


def test_every_part_has_a_layer() -> None:
    tool = _tool()
    parts = {p for package in ("stakemap", "stakemap_cli")
             for p in [tool._part(m) for m in tool._all_modules()
                       if m.partition(".")[0] == package] if p}
    for part in parts:
        tool._layer(part)  # raises StopIteration for a part nobody placed


def test_choices_match_the_library() -> None:
    from stakemap.render.diagram import FORMATS
    from stakemap.render.review import PACK_FORMATS

    assert tuple(s.value for s in stakemap.Severity) == choices.SEVERITIES
    assert FORMATS == choices.GRAPHVIZ_FORMATS
    assert set(PACK_FORMATS.values()) == set(choices.PACK_FORMATS)
