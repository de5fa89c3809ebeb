"""The journal's screens. Sections (what the home screen lists) are registered in
:mod:`tui_journal.screens.sections`."""
