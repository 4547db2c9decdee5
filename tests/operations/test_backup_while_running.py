"""A backup taken while another process keeps writing is one moment's state:
each of the writer's transactions (a user and that user's API token) is in
the archive whole or not at all, and the archive restores. In processes of
their own, on SQLite files or, in the PostgreSQL pass, on new databases."""

import shutil
import subprocess
import time
import zipfile
from pathlib import Path

from tests.hostile.conftest import READINESS, ROOT
from tests.operations.databases import environment, ok, separate_database

WRITER = """
import pathlib
from django.db import transaction
from django.contrib.auth.models import User
from readiness.accounts.services import create_token
stop = pathlib.Path({stop!r})
written = 0
while not stop.exists():
    with transaction.atomic():
        create_token(User.objects.create_user(f"writer-{{written}}"), "t")
    written += 1
print(written)
"""


def lines(archive: Path, member: str) -> int:
    with zipfile.ZipFile(archive) as backup:
        return backup.read(member).count(b"\n")


def test_a_backup_during_writes_holds_whole_transactions_and_restores(tmp_path: Path) -> None:
    live, fresh = tmp_path / "live", tmp_path / "fresh"
    live.mkdir()
    fresh.mkdir()
    with separate_database() as live_url:
        live_env = environment(live, live_url)
        ok(live_env, "migrate", "--noinput", "-v", "0")
        with separate_database(template=live_url) as fresh_url:
            if fresh_url is None:
                shutil.copy(live / "readiness.sqlite3", fresh / "readiness.sqlite3")
            archive = backup_while_writing(live_env, tmp_path)
            ok(environment(fresh, fresh_url), "restore", str(archive))


def backup_while_writing(env: dict[str, str], tmp_path: Path) -> Path:
    stop = tmp_path / "stop"
    writer = subprocess.Popen(
        [*READINESS, "shell", "--no-imports", "-c", WRITER.format(stop=str(stop))],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        time.sleep(3)  # the writer is under way
        archive = tmp_path / "live.zip"
        ok(env, "backup", "-o", str(archive))
        still_writing = writer.poll() is None
    finally:
        stop.touch()
        written, errors = writer.communicate(timeout=60)
    assert writer.returncode == 0, errors[-3000:]
    assert still_writing
    users = lines(archive, "data/auth.user.jsonl")
    assert 0 < users < int(written)
    assert lines(archive, "data/accounts.apitoken.jsonl") == users
    return archive
