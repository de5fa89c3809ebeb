"""Use cases: each checks the acting user's permission, works in one transaction and audits.

Screens, the CLI, the SSH front-end, reports and tests all call these functions; none of
them touches the models for a write on its own.
"""
