import os

from django.db import connection


def test_the_suite_runs_on_the_database_that_database_url_names(db):
    url = os.environ.get("DATABASE_URL", "")
    expected = "postgresql" if url.startswith(("postgres://", "postgresql://", "pgsql://")) else "sqlite"
    assert connection.vendor == expected, f"DATABASE_URL={url!r} but the tests ran on {connection.vendor}"
