"""What GraphML and GEXF share: turning a networkx graph into XML bytes that read back the
same, or refusing text XML cannot hold.

XML 1.0 has no way to write most control characters (U+0000-U+0008, U+000B, U+000C,
U+000E-U+001F, U+FFFE, U+FFFF), not even as character references, so a graph holding one is
refused before anything is written (``UsageError`` naming the node or edge), rather than
written as a file no parser opens. A carriage return is legal but a parser turns a raw one
into a line feed, so it is written as the character reference ``&#13;``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from stakemap.errors import UsageError

__all__ = ["check_xml_text", "keep_carriage_returns"]

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _texts(graph: Any) -> Iterator[tuple[str, str]]:
    """Every text of ``graph`` with a description of where it is."""
    for name, value in graph.graph.items():
        yield f"the graph's {name}", str(value)
    for node, data in graph.nodes(data=True):
        yield f"node {node!r}", str(node)
        for name, value in data.items():
            if isinstance(value, str):
                yield f"node {node!r} ({name})", value
    for source, target, key, data in graph.edges(keys=True, data=True):
        where = f"edge {source!r} -> {target!r}"
        yield where, str(key)
        for name, value in data.items():
            if isinstance(value, str):
                yield f"{where} ({name})", value


def check_xml_text(graph: Any, fmt: str) -> None:
    """Raise ``UsageError`` if some text of ``graph`` holds a character XML 1.0 cannot."""
    for where, text in _texts(graph):
        found = _NOT_XML.search(text)
        if found:
            raise UsageError(
                f"{fmt} cannot hold the control character U+{ord(found.group()):04X} in "
                f"{where}; remove it, or export as csv or cypher, which can")


def keep_carriage_returns(xml: bytes) -> bytes:
    """``xml`` with every raw carriage return written as ``&#13;``. The writers escape one in
    an attribute but not in element text, where a parser would read it as a line feed;
    markup itself never holds one, so every raw one is text."""
    return xml.replace(b"\r", b"&#13;")
