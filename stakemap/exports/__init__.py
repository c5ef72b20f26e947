"""Writing a portfolio in other tools' formats: GraphML, GEXF, CSV tables and a Cypher script.

Each format has its own module; ``export_graph`` picks one by name or by the output's
extension (``formats.py``). Every file is written whole or not at all.
"""
