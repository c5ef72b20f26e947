"""The hook a conftest implements to choose the backends the store tests run on."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from stakemap.testing.backend import Backend


@pytest.hookspec(firstresult=True)
def pytest_stakemap_backends(config: pytest.Config) -> list[Backend] | None:
    """The backends the ``store`` fixture runs each test on, as ``Backend`` objects.

    The first implementation that returns a list wins; the plugin's own (memory and neo4j)
    comes last. A third party returns its own store's backend (and ``stakemap.testing.MEMORY``
    too, if it wants the reference backend run as well); ``--stakemap-backend NAME`` then
    picks among what was returned.
    """
    return None
