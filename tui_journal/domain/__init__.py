"""Pure school rules of the journal: marks, rounding, attendance, indicators, periods.

Everything here is free of I/O, the database and the UI so that the rules a
school argues about (how 3,65 rounds, what counts as a missed day) can be
tested in isolation and reused by screens, reports and exports alike.
"""
