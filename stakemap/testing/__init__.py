"""stakemap's store contract suite, shipped so that every backend, ours or a third party's,
is held to the same specification (``stakemap.backends.base``).

A backend's tests are two files (docs/backends.md has the full example)::

    # conftest.py
    from stakemap.testing import Backend

    pytest_plugins = ["stakemap.testing.plugin"]

    def pytest_stakemap_backends(config):
        return [Backend.from_url("mygraph://localhost/test")]

    # test_contract.py
    from stakemap.testing.suite import *  # noqa: F403

``stakemap.testing.plugin`` provides the fixtures (``store``, ``parity``, ...), the
``--stakemap-backend`` option and the ``pytest_stakemap_backends`` hook;
``stakemap.testing.suite`` the tests. Needs pytest (``pip install 'stakemap[testing]'``).
"""

from __future__ import annotations

import pytest

# Before the suite is imported, so its asserts explain their failures like a test's do.
pytest.register_assert_rewrite("stakemap.testing.suite")

from stakemap.backends import Capability  # noqa: E402
from stakemap.testing.backend import MEMORY, NEO4J, Backend, Parity, requires  # noqa: E402

__all__ = ["MEMORY", "NEO4J", "Backend", "Capability", "Parity", "requires"]
