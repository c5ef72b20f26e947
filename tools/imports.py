"""Which of the library's parts import which, and whether every import points down.

    python tools/imports.py            # the table of imports between parts, and the verdict
    python tools/imports.py --cli      # also: every stakemap module the CLI imports

A *part* is a subpackage or top-level module of ``stakemap`` (``model``, ``rules``,
``backends``, ...) or the CLI package ``stakemap_cli``. Every import is counted: at module
top, inside functions (imported late to keep start-up fast) and under ``TYPE_CHECKING``
alike, because each is a dependency. ``LAYERS`` is the intended order, lowest first; a part
may import its own layer or lower ones. The tests run ``upward_imports()`` and
``cli_private_imports()`` and fail on anything they find.
"""

from __future__ import annotations

import argparse
import ast
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = {"stakemap": ROOT / "stakemap", "stakemap_cli": ROOT / "cli" / "stakemap_cli"}

LAYERS: list[set[str]] = [
    {"_version", "_gc", "errors", "atomic_write", "choices", "escape"},
    {"model"},
    {"files", "generate"},
    {"rules"},
    {"backends"},
    {"graph", "exports", "crm"},
    {"analysis"},
    {"render"},
    {"api", "defaults", "testing", "__init__"},
    {"stakemap_cli"},
    {"__main__"},
]
"""Lowest first. ``__init__`` is the package facade (``import stakemap``); ``__main__``
(``python -m stakemap``) only starts the CLI, so it sits above it."""

CLI_PUBLIC = {"stakemap", "stakemap.render", "stakemap.choices", "stakemap.escape"}
"""The modules the CLI may import: the public API, the diagrams and packs, the
import-free choice lists its ``--help`` needs, and the import-free escaping functions its
tables use for user text on a terminal."""


def _layer(part: str) -> int:
    return next(i for i, parts in enumerate(LAYERS) if part in parts)


def _part(module: str) -> str | None:
    """``stakemap.rules.base`` -> ``rules``; ``stakemap`` -> ``__init__``; others None."""
    top, _, rest = module.partition(".")
    if top == "stakemap_cli":
        return "stakemap_cli"
    if top != "stakemap":
        return None
    return rest.partition(".")[0] or "__init__"


def _imports(path: Path, package: str) -> list[tuple[str, int]]:
    """Absolute names of the modules ``path`` imports, with line numbers."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    here = [package, *path.relative_to(PACKAGES[package]).with_suffix("").parts]
    if here[-1] == "__init__":
        here.pop()
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against this module's package
                base = here[:len(here) - node.level + (1 if path.name == "__init__.py" else 0)]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            found.append((module, node.lineno))
            # "from stakemap import render" imports the submodule stakemap.render
            for alias in node.names:
                if f"{module}.{alias.name}" in _all_modules():
                    found.append((f"{module}.{alias.name}", node.lineno))
    return found


def _all_modules() -> set[str]:
    if not _MODULES:
        for package, root in PACKAGES.items():
            for path in root.rglob("*.py"):
                parts = [package, *path.relative_to(root).with_suffix("").parts]
                if parts[-1] == "__init__":
                    parts.pop()
                _MODULES.add(".".join(parts))
    return _MODULES


_MODULES: set[str] = set()


def edges() -> list[tuple[str, str, str, int]]:
    """(from part, to part, file, line) for every import between two different parts."""
    found = []
    for package, root in PACKAGES.items():
        for path in sorted(root.rglob("*.py")):
            source = _part(".".join([package, *path.relative_to(root).with_suffix("").parts]))
            if source is None:
                continue
            for module, line in _imports(path, package):
                target = _part(module)
                if target is not None and target != source:
                    found.append((source, target, str(path.relative_to(ROOT)), line))
    return found


def upward_imports() -> list[str]:
    """Every import of a higher layer, as ``file:line: part -> part``."""
    return [f"{file}:{line}: {a} -> {b}" for a, b, file, line in edges()
            if _layer(b) > _layer(a)]


def cli_private_imports() -> list[str]:
    """Every import in the CLI of a stakemap module that is not public."""
    root = PACKAGES["stakemap_cli"]
    found = []
    for path in sorted(root.rglob("*.py")):
        for module, line in _imports(path, "stakemap_cli"):
            if module.partition(".")[0] == "stakemap" and module not in CLI_PUBLIC:
                found.append(f"{path.relative_to(ROOT)}:{line}: {module}")
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cli", action="store_true",
                        help="also list every stakemap module the CLI imports")
    args = parser.parse_args()
    counts = Counter((a, b) for a, b, _, _ in edges())
    width = max(len(a) for a, _ in counts) if counts else 4
    print(f"{'from'.ljust(width)}  to (imports)")
    for source in sorted({a for a, _ in counts}, key=lambda p: (_layer(p), p)):
        targets = sorted(((b, n) for (a, b), n in counts.items() if a == source),
                         key=lambda x: (_layer(x[0]), x[0]))
        marks = ", ".join(f"{b}{' (UP)' if _layer(b) > _layer(source) else ''} ({n})"
                          for b, n in targets)
        print(f"{source.ljust(width)}  {marks}")
    up = upward_imports()
    print(f"\n{len(up)} import(s) point up" + (":" if up else "."))
    for line in up:
        print(f"  {line}")
    if args.cli:
        private = cli_private_imports()
        print(f"\nthe CLI imports {len(private)} private module(s)" + (":" if private else "."))
        for line in private:
            print(f"  {line}")
    sys.exit(1 if up else 0)


if __name__ == "__main__":
    main()
