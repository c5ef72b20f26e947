"""The account-review pack: ``report(graph, customer=...)`` and the ``ReviewPack`` it returns.

One playbook run feeds the findings table, the score, the role table and the diagram, so
the pack never contradicts itself. HTML needs Graphviz (the diagram is embedded); Markdown
does not.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from stakemap.analysis.review import AccountReview
from stakemap.atomic_write import check_not_input, write_atomic
from stakemap.choices import PACK_EXTENSIONS
from stakemap.errors import MissingDependencyError, UsageError
from stakemap.render.diagram import Diagram

if TYPE_CHECKING:
    from collections.abc import Iterable

    from stakemap.analysis.playbook import Playbook
    from stakemap.backends import GraphStore
    from stakemap.graph import StakeholderGraph
    from stakemap.render.explorer import Explorer

__all__ = ["PACK_FORMATS", "ReviewPack", "report"]

PACK_FORMATS = PACK_EXTENSIONS
"""Review-pack format by extension (one table, ``stakemap.choices``)."""


@dataclass(frozen=True)
class ReviewPack:
    review: AccountReview
    diagram: Diagram
    coverage: Diagram | None = None
    """The coverage matrix ("who covers whom"), embedded in the HTML page beside the map."""
    explorer: Explorer | None = None
    """The account's explorer, written next to the pack and linked from it (``--interactive``);
    None keeps the pack on its own."""

    def html(self, explorer_href: str | None = None) -> str:
        """The self-contained page (runs Graphviz for the embedded diagram and matrix); with
        ``explorer_href``, a relative link to the explorer page."""
        from stakemap.render.review_html import review_html

        return review_html(self.review, *self._svgs(), explorer_href)

    def fragment(self, explorer_href: str | None = None) -> str:
        """The pack as one scoped element with its own ``<style>`` and no page-level rule:
        what a notebook shows, so the pack and the notebook leave each other's look alone."""
        from stakemap.render.review_html import review_fragment

        return review_fragment(self.review, *self._svgs(), explorer_href)

    def pdf(self) -> bytes:
        """The HTML pack printed to A4 by a headless Chromium (``stakemap.render.pdf``);
        ``MissingDependencyError`` names the package where no Chromium is installed."""
        from stakemap.render.pdf import html_to_pdf

        return html_to_pdf(self.html())

    def _svgs(self) -> tuple[str, str]:
        """The diagram and the coverage matrix as SVG, as the page embeds them."""
        from stakemap.render.coverage import titles_not_links
        from stakemap.render.diagram import missing_dot

        try:
            svg = self.diagram.pipe("svg").decode("utf-8")
            matrix = titles_not_links(self.coverage.pipe("svg").decode("utf-8")) \
                if self.coverage else ""
        except MissingDependencyError as exc:
            raise missing_dot("The Markdown pack (--format markdown)") from exc
        return svg, matrix

    def markdown(self, explorer_href: str | None = None) -> str:
        from stakemap.render.review_markdown import review_markdown

        return review_markdown(self.review, explorer_href)

    def text(self, format: str, explorer_href: str | None = None) -> str:
        if format == "html":
            return self.html(explorer_href)
        if format == "markdown":
            return self.markdown(explorer_href)
        if format == "pdf":
            raise UsageError("a PDF pack is not text: write it to a file (-o pack.pdf)")
        raise UsageError(f"unknown review-pack format '{format}'; use html, markdown or pdf")

    def save(self, path: str | os.PathLike[str], format: str | None = None, *,
             inputs: Iterable[str | os.PathLike[str]] = ()) -> Path:
        """Write the pack; the format follows the extension (.html, .md, .pdf) unless given. The
        file appears whole or not at all (``stakemap.atomic_write``); a target that is one of
        ``inputs`` (the files the caller read) is refused before anything is rendered."""
        target = Path(path)
        inputs = tuple(inputs)
        check_not_input(path, inputs)
        if format is None:
            format = PACK_FORMATS.get(target.suffix.lower())
            if format is None:
                raise UsageError(
                    f"cannot tell the review-pack format from '{target.name}': name it .html, "
                    ".md or .pdf, or give the format (--format html|markdown|pdf)")
        if format == "pdf":
            if self.explorer is not None:
                raise UsageError("a PDF cannot link to the explorer page: write the pack as "
                                 ".html with --interactive, or drop --interactive")
            # rendered whole before the disk is touched: a failure leaves the old file
            return write_atomic(path, self.pdf(), inputs=inputs)
        explorer = self.explorer_path(target) if self.explorer is not None else None
        if explorer is not None:
            check_not_input(explorer, inputs)
        # before touching the disk: a failure writes nothing
        data = self.text(format, explorer.name if explorer else None)
        if self.explorer is not None and explorer is not None:
            self.explorer.save(explorer, inputs=inputs)  # first: the pack never links to nothing
        return write_atomic(path, data, inputs=inputs)

    @staticmethod
    def explorer_path(target: str | os.PathLike[str]) -> Path:
        """Where ``save`` writes the explorer for a pack at ``target``: beside it, named
        after it (``review.html`` -> ``review.explorer.html``)."""
        target = Path(target)
        return target.with_name(f"{target.stem}.explorer.html")

    def _repr_html_(self) -> str:
        """Jupyter shows the scoped fragment, not a whole page: a page's ``<html>`` and
        ``<body>`` have no place inside a notebook's own page."""
        return self.fragment()


def report(
    source: StakeholderGraph | GraphStore,
    *,
    customer: str,
    playbook: Playbook | str | Iterable[str] | None = None,
    as_of: date | None = None,
    interactive: bool = False,
) -> ReviewPack:
    """The account-review pack for ``customer``: summary, score, findings with remediation,
    the key connectors, the costliest departures, the diagram, who covers whom, the role
    table per side and the power-interest grid. ``interactive`` adds the account's explorer
    (from the same playbook run), which ``save`` writes next to the pack and links from its
    HTML."""
    from stakemap.graph import StakeholderGraph
    from stakemap.render.coverage import coverage_dot
    from stakemap.render.diagram import cross_ties
    from stakemap.render.dot import account_dot

    store = source.store if isinstance(source, StakeholderGraph) else source
    review = AccountReview.build(store, customer, playbook=playbook, as_of=as_of)
    matrix = Diagram(coverage_dot(review.coverage)) if review.coverage else None
    page = None
    if interactive:
        from stakemap.render.explorer import Explorer, explorer_data

        network = store.rule_runner(review.report.as_of).people_network(customer,
                                                                         reporting=False)
        page = Explorer(explorer_data(review.view, review.findings, network,
                                      playbook=review.report.playbook,
                                      as_of=review.report.as_of))
    # their chart as `render` draws it (coverage badges from the people network), without
    # our team and the services: the whole map beside them is too wide to read at page
    # width; the pack shows our side as the coverage matrix and the services table
    ties = cross_ties(store, customer, review.report.as_of)
    return ReviewPack(review, Diagram(account_dot(review.view, review.findings, ties=ties,
                                                  theirs_only=True)),
                      coverage=matrix, explorer=page)
