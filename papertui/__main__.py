"""`python -m papertui`."""

from papertui.cli import main

if __name__ == "__main__":  # guarded: the index builder's spawned child re-imports this
    raise SystemExit(main())
