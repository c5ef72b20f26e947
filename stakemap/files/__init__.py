"""Portfolio files: the YAML/JSON format (``schema``, ``convert``), reading with located
errors (``load.read_portfolio``) and writing (``save.write_portfolio``).

This layer turns files into ``Portfolio`` snapshots and back; it knows nothing of graphs or
stores. ``stakemap.load_portfolio`` and ``stakemap.save_portfolio`` (in ``stakemap.api``)
compose it with a store.
"""
