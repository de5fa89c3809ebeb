"""`python -m tui_journal` runs the console entry point."""

from tui_journal.cli import main

raise SystemExit(main())
