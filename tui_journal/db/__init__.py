"""The database layer: peewee models, opening a database from a URL, migrations, demo data."""
