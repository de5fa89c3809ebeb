"""``python -m tui_journal.web``: one browser session of the journal (see :mod:`.session`)."""

from tui_journal.web.session import main

raise SystemExit(main())
