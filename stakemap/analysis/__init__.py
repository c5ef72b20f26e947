"""Analyses over a portfolio graph: summaries now, coverage-gap rules and findings next."""
