"""CSV exports read as rows of fields, each row knowing the file and line it came from.

CRMs write CSV in several dialects: a UTF-8 byte order mark (Excel's "CSV UTF-8"), commas
or, in locales where the comma is the decimal mark, semicolons (or tabs); Excel's
``sep=;`` first line; quoted cells with commas, quotes and line breaks inside; report
footers ("Grand Totals", a copyright line) after the data. The delimiter is read from the
header line. A cell's line is where its row starts, so ``file:line`` points at the row an
editor shows, even after a cell with a line break in it.
"""

from __future__ import annotations

import csv
import io
import os
import re
from dataclasses import dataclass
from typing import Any

from stakemap.crm.mapping import CrmImportError
from stakemap.errors import Problem
from stakemap.files.parse import max_bytes_from_env, read_input_text

__all__ = ["ROLE_FILE_FIELDS", "Row", "Table", "read_table"]

NAME_FIELDS = ("first_name", "last_name", "full_name")
ROLE_FILE_FIELDS = ("contact_id", "role", "primary", "account_id")
"""The fields of a contact-role file (Salesforce's AccountContactRole): a file with no name
column is one, its rows adding roles to contacts of the other files by id."""

_SEP_LINE = re.compile(r"^sep=(.)\r?\n", re.IGNORECASE)


@dataclass(frozen=True)
class Row:
    file: str
    line: int
    values: dict[str, str]
    """Field -> the cell's text, its runs of white space (line breaks too) one space; fields
    with empty cells left out."""


@dataclass(frozen=True)
class Table:
    file: str
    roles_only: bool
    """A contact-role file: rows give roles to contacts by ``contact_id``."""
    columns: dict[str, str]
    """Field -> the column read for it."""
    unmapped: tuple[str, ...]
    """Columns neither read nor ignored, in the file's order."""
    rows: tuple[Row, ...]
    notes: tuple[int, ...] = ()
    """Lines of one cell in a file of many columns (a report's totals and footer), skipped."""
    problems: tuple[Problem, ...] = ()
    """Rows that could not be read; the other rows are read, so one run finds every
    problem of the import."""


def _delimiter(header: str) -> str:
    """The most frequent of comma, semicolon and tab outside quotes in the header line."""
    counts = dict.fromkeys(",;\t", 0)
    quoted = False
    for char in header:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(counts, key=lambda c: (counts[c], c == ","))
    return best if counts[best] else ","


def read_table(path: str | os.PathLike[str], columns: dict[str, tuple[str, ...]],
               ignore: tuple[str, ...]) -> Table:
    """Read one export; ``columns`` is field -> candidate column names (first found wins),
    ``ignore`` the columns that are known and not wanted. A file that cannot be read at all
    raises ``CrmImportError``; rows that cannot be read are the table's ``problems``."""
    name = os.fspath(path)
    text = read_input_text(name, CrmImportError, limit=max_bytes_from_env(), what="CRM export",
                           encoding_fix="export it as \"CSV UTF-8\" (Excel: Save As, CSV "
                                        "UTF-8; the CRM's export settings: UTF-8)")
    first_line = 1
    separator = _SEP_LINE.match(text)
    if separator:
        delimiter = separator.group(1)
        text = text[separator.end():]
        first_line = 2
    else:
        delimiter = _delimiter(text.split("\n", 1)[0])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise CrmImportError([Problem(name, first_line, None, f"header is not CSV: {exc}",
                                      "export the file again as CSV")]) from None
    if not header or not any(cell.strip() for cell in header):
        raise CrmImportError([Problem(name, first_line, None, "no header row",
                                      "export the file again with its column names")])
    heads = [cell.strip() for cell in header]
    problems, roles_only, found = _columns(name, first_line, heads, columns)
    ignored = {c.lower() for c in ignore}
    used = {c.lower() for c in found.values()}
    unmapped = tuple(h for h in heads if h and h.lower() not in used | ignored)
    index = {field: [h.lower() for h in heads].index(column.lower())
             for field, column in found.items()}
    rows, notes = _rows(reader, name, first_line, width=len(heads), index=index,
                        delimiter=delimiter, problems=problems)
    return Table(name, roles_only, found, unmapped, tuple(rows), tuple(notes), tuple(problems))


def _columns(name: str, line: int, heads: list[str], columns: dict[str, tuple[str, ...]]
             ) -> tuple[list[Problem], bool, dict[str, str]]:
    """Problems of the header, whether it is a contact-role file, and field -> column."""
    problems = []
    by_name: dict[str, int] = {}
    for i, head in enumerate(heads):
        if head.lower() in by_name and head:
            problems.append(Problem(name, line, None, f"column '{head}' appears twice",
                                    "rename or remove one of them"))
        by_name.setdefault(head.lower(), i)
    has_name = any(c.lower() in by_name for f in NAME_FIELDS for c in columns.get(f, ()))
    if has_name:
        wanted = [f for f in columns if f != "contact_id"]
    else:
        wanted = [f for f in ROLE_FILE_FIELDS if f in columns]
    found: dict[str, str] = {}
    for field in wanted:
        for candidate in columns.get(field, ()):
            at = by_name.get(candidate.lower())
            if at is not None and heads[at] not in found.values():
                found[field] = heads[at]
                break
    return problems, not has_name, found


def _rows(reader: Any, name: str, first_line: int, *, width: int, index: dict[str, int],
          delimiter: str, problems: list[Problem]) -> tuple[list[Row], list[int]]:
    """The data rows (each with the line it starts on), and the lines of one cell skipped."""
    rows: list[Row] = []
    notes: list[int] = []
    start = reader.line_num + first_line
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(Problem(name, start, None, f"not CSV: {exc}",
                                    "close the quote, or quote cells that contain quotes"))
            break
        line, start = start, reader.line_num + first_line
        if not any(cell.strip() for cell in cells):
            continue
        if width > 1 and len(cells) == 1:
            notes.append(line)  # "Grand Totals (35 records)", a copyright line
            continue
        if len(cells) > width:
            problems.append(Problem(
                name, line, None, f"row has {len(cells)} cells, the header {width}",
                f"quote cells that contain '{_shown(delimiter)}', or remove the extra cells"))
            continue
        # every field is one line: a line break typed into a CRM field is a space here
        values = {field: " ".join(cells[i].split()) for field, i in index.items()
                  if i < len(cells) and cells[i].strip()}
        rows.append(Row(name, line, values))
    return rows, notes


def _shown(delimiter: str) -> str:
    return "tab" if delimiter == "\t" else delimiter
