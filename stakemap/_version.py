"""The package version, kept in a module of its own so `stakemap --version` imports nothing else."""

__version__ = "0.1.0"
