"""The fixed lists of choices the library accepts (formats, engines, severities), in a module
that imports nothing, so the CLI can offer them in ``--help`` without loading pydantic,
networkx or a driver. The library's own enums and tables are checked against these by tests.
"""

from __future__ import annotations

__all__ = [
    "DIAGRAM_FORMATS",
    "ENGINES",
    "EXPORT_FORMATS",
    "FAIL_ON",
    "GAP_FORMATS",
    "GRAPHVIZ_FORMATS",
    "NETWORK_FORMATS",
    "PACK_EXTENSIONS",
    "PACK_FORMATS",
    "PORTFOLIO_EXTENSIONS",
    "SEVERITIES",
    "SHOW_FORMATS",
]

SEVERITIES = ("critical", "high", "medium", "low", "info")
"""Worst first; ``stakemap.Severity`` has exactly these values."""

FAIL_ON = (*SEVERITIES, "never")
"""``stakemap gaps --fail-on``: exit 1 at or above a severity, or never."""

GAP_FORMATS = ("table", "json", "markdown", "csv")
NETWORK_FORMATS = GAP_FORMATS
SHOW_FORMATS = ("auto", "table", "text", "json")

GRAPHVIZ_FORMATS = ("svg", "png", "pdf", "dot")
"""What Graphviz draws a diagram as (``Diagram.pipe``)."""
DIAGRAM_FORMATS = (*GRAPHVIZ_FORMATS, "html")
"""``stakemap render --format``: Graphviz's, and ``html``, the account explorer (a page to
pan, zoom, search and click; needs ``--customer``)."""
ACCOUNT_VIEWS = ("map", "coverage")
"""``stakemap render --customer ID --view``: what to draw of one account (default first):
the account map, or the coverage matrix (who of our team covers which of their key people)."""
PORTFOLIO_VIEWS = ("heatmap", "overview")
"""``stakemap render --view`` without ``--customer``: what to draw of the portfolio."""
ENGINES = ("dot", "neato", "fdp", "sfdp", "circo", "twopi")
"""Graphviz layout engines."""

PACK_FORMATS = ("html", "markdown", "pdf")
PACK_EXTENSIONS = {".html": "html", ".htm": "html", ".md": "markdown", ".markdown": "markdown",
                   ".pdf": "pdf"}
"""Review-pack format by file extension."""

EXPORT_FORMATS = ("graphml", "gexf", "csv", "cypher", "portfolio")
"""``stakemap export --format``: GraphML, GEXF, CSV tables (a folder or a .zip), a Cypher
script of MERGE statements, or a portfolio file (.yaml, .yml, .json)."""

PORTFOLIO_EXTENSIONS = (".yaml", ".yml", ".json")
"""What a portfolio file may be called: the loader reads YAML or JSON by these."""
