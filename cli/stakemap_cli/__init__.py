"""The ``stakemap`` command-line application (kept apart so the library never imports click)."""
