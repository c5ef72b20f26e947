"""The store contract suite: ``from stakemap.testing.suite import *`` in a test module runs
all of it on the backends the plugin selects (``stakemap.testing.plugin``).

- ``contract``: every ``GraphStore`` method (writes, reads, lifecycle, persistence);
- ``rules``: accounts, the rule runner, and the ``when`` selector through ``find_gaps``;
- ``parity``: every analysis answered as the in-memory reference answers it.

The tests are classes, so a backend can override one test by subclassing and redefining it
(with a reason), the rest still coming from here.
"""

from stakemap.testing.suite.contract import TestGraphVerbs, TestLifecycle, TestReads, TestWrites
from stakemap.testing.suite.parity import TestParity
from stakemap.testing.suite.rules import TestAccounts, TestRuleRunner, TestWhenSelector

__all__ = [
    "TestAccounts",
    "TestGraphVerbs",
    "TestLifecycle",
    "TestParity",
    "TestReads",
    "TestRuleRunner",
    "TestWhenSelector",
    "TestWrites",
]
