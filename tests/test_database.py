import os

from django.db import connection


def test_the_suite_runs_on_the_database_that_database_url_names(db):
    url = os.environ.get("DATABASE_URL", "")
    expected = "postgresql" if url.startswith(("postgres://", "postgresql://", "pgsql://")) else "sqlite"
    assert connection.vendor == expected, f"DATABASE_URL={url!r} but the tests ran on {connection.vendor}"


def test_postgresql_prepares_a_statement_a_connection_repeats(db):
    """`DB_PREPARE_THRESHOLD` (5): Django leaves psycopg's preparing off unless asked; here it is
    asked, so the sixth run of one statement on a connection is a prepared statement."""
    import pytest

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite has no server-side statements")
    marker = "SELECT 6 * %s AS prepared_here"
    with connection.cursor() as cursor:
        for n in range(6):
            cursor.execute(marker, [n])
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert connection.connection.prepare_threshold == 5
    assert any("prepared_here" in statement for statement in prepared), prepared


def test_preparing_can_be_turned_off_for_a_pooler():
    from tests.support import run_manage

    code = "from django.conf import settings; o = settings.DATABASES['default']['OPTIONS']; print(o['server_side_binding'], o['prepare_threshold'])"
    url = "postgres://someone@127.0.0.1:5432/nothing"  # no connection is made

    def printed(**env):
        return run_manage("shell", "-c", code, DEBUG="1", DATABASE_URL=url, **env).stdout.splitlines()[-1].split()

    assert printed() == ["True", "5"]
    assert printed(DB_PREPARE_THRESHOLD="0") == ["True", "None"]
