"""The journal in a browser: ``tui-journal serve web`` (textual-serve, one process per tab).

- :mod:`.server`: the aiohttp server (textual-serve's, with the journal's page, the client
  address, a session limit and a per-address refusal);
- :mod:`.session`: one browser session, ``python -m tui_journal.web``: the app's own login
  screen with the mouse on.
"""
