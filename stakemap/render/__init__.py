"""Output for people: tables for terminals and pipes (``text``); Graphviz diagrams come here too."""
