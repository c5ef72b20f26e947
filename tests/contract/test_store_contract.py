"""The shipped store contract suite (``stakemap.testing.suite``), run on our own backends:
memory and neo4j, chosen by ``stakemap.testing.plugin`` (see tests/conftest.py)."""

from stakemap.testing.suite import *  # noqa: F403
