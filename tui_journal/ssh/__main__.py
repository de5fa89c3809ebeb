"""``python -m tui_journal.ssh``: one SSH session of the journal (see :mod:`.session`)."""

from tui_journal.ssh.session import main

raise SystemExit(main())
