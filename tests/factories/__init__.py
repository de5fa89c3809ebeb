"""Builders of test schools, shared by the domain, service, UI and export tests.

Three modules, by how the data is written:

- :mod:`tests.factories.domain`: pure values (marks, the 2026/2027 calendar) for the domain
  tests, which never touch a database;
- :mod:`tests.factories.rows`: one row at a time, written with the models directly. Fast and
  silent (no access checks, no audit rows): what a test's world is made of when the test is
  about what happens *after* the set-up (the permission matrix builds its world hundreds of
  times). ``tests/services/world.py`` and ``tests/export/school.py`` are built with it;
- :mod:`tests.factories.school`: a whole school of any shape through the real services
  (``build_school(admin, classes=…, pupils_per_class=…)``), as an administrator would set it
  up: validated, audited, with the ids and actors the tests need.

This ``__init__`` imports nothing, so that a domain test importing
``tests.factories.domain`` stays free of the database layer.
"""
