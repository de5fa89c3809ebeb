"""The school's private signing key leaves the database: ``school_key.private_pem`` may be NULL.

A migration cannot know where the key files go (the ``signing_key_dir`` setting, the CLI
options), so the keys themselves are moved by ``tui-journal db upgrade`` right after the
migrations (``services.signing.move_keys_out``; also ``tui-journal sign migrate-key``): it
writes each stored private key to its 0600 key file and sets the column to NULL.
"""
from peewee import *


def up(migrator, db):
    migrator.migrate(migrator.drop_not_null('school_key', 'private_pem'))


def down(migrator, db):
    migrator.migrate(migrator.add_not_null('school_key', 'private_pem'))
