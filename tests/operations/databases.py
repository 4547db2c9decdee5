"""Databases for the commands the operations tests run in their own
processes: a new PostgreSQL database on the test server in the PostgreSQL
pass (DATABASE_URL set), else the SQLite file in the command's folder."""

import os
import secrets
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

from tests.hostile.conftest import READINESS, ROOT, readiness_env

ON_POSTGRESQL = bool(os.environ.get("DATABASE_URL"))


def server_url(database: str) -> str:
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path=f"/{database}"))


@contextmanager
def separate_database(template: str | None = None) -> Iterator[str | None]:
    """The URL of a new PostgreSQL database (a copy of `template`'s, when
    given), dropped afterwards; None on SQLite."""
    if not ON_POSTGRESQL:
        yield None
        return
    name = f"readiness_ops_{secrets.token_hex(4)}"
    create = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
    if template:
        create += sql.SQL(" TEMPLATE {}").format(sql.Identifier(urlsplit(template).path[1:]))
    with psycopg.connect(server_url("postgres"), autocommit=True) as admin:
        admin.execute(create)
    try:
        yield server_url(name)
    finally:
        with psycopg.connect(server_url("postgres"), autocommit=True) as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def environment(var_dir: Path, database_url: str | None) -> dict[str, str]:
    env = readiness_env(var_dir)
    return {**env, "DATABASE_URL": database_url} if database_url else env


def ok(env: dict[str, str], *args: str) -> str:
    """`readiness ARGS…` in its own process; it must succeed."""
    result = subprocess.run(
        [*READINESS, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout
