"""The stages of one demo school's build, one module each, assembled by
:class:`tui_journal.db.demo.builder.SchoolBuilder` (see there).
"""
