"""``python -m dualscope``: the same command line as the ``dualscope`` entry point."""

from __future__ import annotations

from dualscope.cli import run

if __name__ == "__main__":
    run()
