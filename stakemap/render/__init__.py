"""Output for people: diagrams (``render``), account-review packs (``report``), the account
explorer page (``explorer``), and the plain
tables of ``text``.

``from stakemap.render import render, report``. The names load on first use, so importing
the package costs nothing until a diagram is drawn. (They cannot live on ``stakemap``
itself: there ``stakemap.render`` is this package.)
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from stakemap.render.diagram import Diagram, render
    from stakemap.render.explorer import Explorer, explorer
    from stakemap.render.review import ReviewPack, report

__all__ = ["Diagram", "Explorer", "ReviewPack", "explorer", "render", "report"]

_LAZY = {"Diagram": "stakemap.render.diagram", "render": "stakemap.render.diagram",
         "Explorer": "stakemap.render.explorer",
         "explorer": "stakemap.render.explorer", "ReviewPack": "stakemap.render.review",
         "report": "stakemap.render.review"}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'stakemap.render' has no attribute '{name}'")
    return getattr(importlib.import_module(module), name)


def __dir__() -> list[str]:
    return sorted(__all__)
