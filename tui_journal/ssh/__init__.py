"""Reaching the journal over SSH (ARCHITECTURE.md, «Reaching the journal»).

- :mod:`~tui_journal.ssh.openssh`: the ``sshd_config`` block for a shared system account
  whose sessions are forced into the journal (``tui-journal ssh-config``), the supported
  path on a school server;
- :mod:`~tui_journal.ssh.server`: the built-in asyncssh server (``tui-journal serve ssh``)
  that logs users in with the journal's own accounts;
- :mod:`~tui_journal.ssh.session`: one session (:func:`~tui_journal.ssh.session.run_session`),
  run by both: in a process forked by the warm server, or as ``python -m tui_journal.ssh``;
- :mod:`~tui_journal.ssh.warm`: the warm session server (``tui-journal serve warm``) that has
  the app loaded and forks a process per session; :mod:`~tui_journal.ssh.attach`: the light
  client OpenSSH's ``ForceCommand`` runs (``tui-journal attach``) and the socket protocol;
- :mod:`~tui_journal.ssh.authpool`: the built-in server's password checks in worker processes;
- :mod:`~tui_journal.ssh.tickets`, :mod:`~tui_journal.ssh.throttle`: the server's one-time
  session tickets and its per-address slowdown and block.

This package's ``__init__`` imports nothing, so a session starts without asyncssh.
"""
