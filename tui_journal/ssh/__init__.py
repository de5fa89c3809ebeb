"""Reaching the journal over SSH (ARCHITECTURE.md, «Reaching the journal»).

- :mod:`~tui_journal.ssh.openssh`: the ``sshd_config`` block for a shared system account
  whose sessions are forced into the journal (``tui-journal ssh-config``), the supported
  path on a school server;
- :mod:`~tui_journal.ssh.server`: the built-in asyncssh server (``tui-journal serve ssh``)
  that logs users in with the journal's own accounts;
- :mod:`~tui_journal.ssh.session`: one session's process, ``python -m tui_journal.ssh``,
  used by both;
- :mod:`~tui_journal.ssh.tickets`, :mod:`~tui_journal.ssh.throttle`: the server's one-time
  session tickets and its per-address slowdown and block.

This package's ``__init__`` imports nothing, so a session starts without asyncssh.
"""
