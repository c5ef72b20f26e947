"""``python -m stakemap``: the ``stakemap`` command, for where the console script is not on
``PATH`` (a virtualenv not activated, ``pipx run``, a CI image) or where the interpreter must
be chosen explicitly. It is the same command: ``python -m stakemap --version``.

The CLI lives in its own package (``stakemap_cli``), installed with the library; importing
it only here keeps the library itself free of click.
"""

from __future__ import annotations


def main() -> None:
    """Run the CLI with ``stakemap`` as its name in messages, whatever ``argv[0]`` is."""
    from stakemap_cli.app import main as cli_main

    cli_main()


if __name__ == "__main__":
    main()
