"""``export_graph``: write a portfolio in a format chosen by name or by the output's name.

The one table of export formats, so the library and the CLI agree on what ``.gexf`` or a
folder means: ``graphml`` (``.graphml``), ``gexf`` (``.gexf``), ``cypher`` (``.cypher``),
``csv`` (a ``.zip`` file, or a folder: a path ending in ``/`` or naming one) and the
portfolio file itself (``.yaml``, ``.yml``, ``.json``).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path

from stakemap.atomic_write import StrPath, write_atomic
from stakemap.choices import EXPORT_FORMATS, PORTFOLIO_EXTENSIONS
from stakemap.errors import UsageError
from stakemap.model.portfolio import Portfolio

__all__ = ["export_format", "export_graph"]

_BY_EXTENSION = {".graphml": "graphml", ".gexf": "gexf", ".cypher": "cypher", ".cql": "cypher",
                 ".zip": "csv", **dict.fromkeys(PORTFOLIO_EXTENSIONS, "portfolio")}


def export_format(path: StrPath, fmt: str | None = None) -> str:
    """The format to write ``path`` in: ``fmt`` if given (checked), else the one its name
    says. ``UsageError`` when neither says one, or ``fmt`` is unknown or does not fit."""
    shown = os.fspath(path)
    if fmt is not None:
        if fmt not in EXPORT_FORMATS:
            raise UsageError(f"unknown export format '{fmt}'; use one of: "
                             f"{', '.join(EXPORT_FORMATS)}")
        if fmt == "portfolio" and not shown.lower().endswith(PORTFOLIO_EXTENSIONS):
            raise UsageError(f"{shown}: a portfolio file is .yaml, .yml or .json")
        return fmt
    suffix = Path(shown).suffix.lower()
    if suffix in _BY_EXTENSION:
        return _BY_EXTENSION[suffix]
    if shown.endswith(("/", os.sep)) or Path(shown).is_dir():
        return "csv"
    raise UsageError(f"{shown}: cannot tell the export format from the name; give --format "
                     f"({', '.join(EXPORT_FORMATS)}) or name it .graphml, .gexf, .cypher, "
                     ".zip (CSV tables), a folder/ (CSV tables), .yaml or .json")


def export_graph(portfolio: Portfolio, path: StrPath, fmt: str | None = None, *,
                 inputs: Iterable[StrPath] = ()) -> str:
    """Write ``portfolio`` to ``path`` as ``fmt`` (default: by the name, see
    ``export_format``); return the format written. Nothing is written when it fails
    (``UsageError``, ``OutputError``), and never over one of ``inputs``."""
    chosen = export_format(path, fmt)
    refused = tuple(inputs)
    _WRITERS[chosen](portfolio, path, refused)
    return chosen


def _graphml(portfolio: Portfolio, path: StrPath, inputs: tuple[StrPath, ...]) -> None:
    from stakemap.exports.graphml import write_graphml

    write_graphml(portfolio, path, inputs=inputs)


def _gexf(portfolio: Portfolio, path: StrPath, inputs: tuple[StrPath, ...]) -> None:
    from stakemap.exports.gexf import write_gexf

    write_gexf(portfolio, path, inputs=inputs)


def _csv(portfolio: Portfolio, path: StrPath, inputs: tuple[StrPath, ...]) -> None:
    from stakemap.exports.csv_tables import write_csv

    write_csv(portfolio, path, inputs=inputs)


def _cypher(portfolio: Portfolio, path: StrPath, inputs: tuple[StrPath, ...]) -> None:
    from stakemap.backends.neo4j_script import cypher_script

    write_atomic(path, cypher_script(portfolio), inputs=inputs)


def _portfolio(portfolio: Portfolio, path: StrPath, inputs: tuple[StrPath, ...]) -> None:
    from stakemap.files.save import write_portfolio

    write_portfolio(portfolio, path, inputs=inputs)


_WRITERS: dict[str, Callable[[Portfolio, StrPath, tuple[StrPath, ...]], None]] = {
    "graphml": _graphml, "gexf": _gexf, "csv": _csv, "cypher": _cypher,
    "portfolio": _portfolio}
