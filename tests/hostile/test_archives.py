"""Hostile backup archives: each is refused with an error naming the archive
and the member (and line) at fault, before anything is changed; names that
climb out of the archive are refused, never extracted; sizes are bounded
before anything is read whole."""

import hashlib
import json
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User

from readiness.assessments.models import Assessment
from readiness.core.errors import InvalidInput, WrongState
from readiness.operations import archives
from readiness.operations.archives import MANIFEST, restore_backup, write_backup
from tests.hostile.conftest import assert_refused, rows_unchanged, run_readiness
from tests.operations.installation import without_content

USERS = "data/auth.user.jsonl"
Members = dict[str, bytes]


@pytest.fixture(scope="module")
def valid_archive(
    tmp_path_factory: pytest.TempPathFactory, django_db_setup: None, django_db_blocker: Any
) -> Path:
    """A backup of the test database with the demo (written outside any
    transaction, as the command does)."""
    path = tmp_path_factory.mktemp("archives") / "valid.zip"
    with django_db_blocker.unblock():
        write_backup(path)
    return path


def members_of(path: Path) -> Members:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def manifest_of(members: Members) -> dict[str, Any]:
    return json.loads(members[MANIFEST])


def write(path: Path, members: Members | list[tuple[str, bytes]]) -> Path:
    items = members.items() if isinstance(members, dict) else members
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in items:
            archive.writestr(name, data)
    return path


def with_member(members: Members, name: str, data: bytes) -> Members:
    """`name` replaced by `data`, the manifest's size and checksum made to match
    (a forger's archive, which only the checks of the rows can catch)."""
    manifest = manifest_of(members)
    for table in manifest["tables"]:
        if table["member"] == name:
            table["bytes"] = len(data)
            table["sha256"] = hashlib.sha256(data).hexdigest()
            table["rows"] = data.count(b"\n")
    return {**members, name: data, MANIFEST: json.dumps(manifest).encode()}


def with_manifest(members: Members, change: Callable[[dict[str, Any]], None]) -> Members:
    manifest = manifest_of(members)
    change(manifest)
    return {**members, MANIFEST: json.dumps(manifest).encode()}


def refused(path: Path, *expected: str) -> None:
    with rows_unchanged(), pytest.raises(InvalidInput) as error:
        restore_backup(path)
    assert str(path) in str(error.value)
    for text in expected:
        assert text in str(error.value)


# --- refused before the installation is looked at ----------------------------------


@pytest.mark.django_db
def test_a_truncated_archive_is_refused(valid_archive: Path, tmp_path: Path) -> None:
    data = valid_archive.read_bytes()
    truncated = tmp_path / "truncated.zip"
    truncated.write_bytes(data[: len(data) // 2])
    refused(truncated, "not a complete ZIP archive")


@pytest.mark.django_db
def test_a_file_that_is_not_an_archive_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.zip"
    path.write_text("key: value\n")
    refused(path, "not a complete ZIP archive")


@pytest.mark.django_db
def test_an_archive_without_a_manifest_is_refused(valid_archive: Path, tmp_path: Path) -> None:
    members = members_of(valid_archive)
    del members[MANIFEST]
    refused(write(tmp_path / "bare.zip", members), "no manifest.json")


@pytest.mark.django_db
def test_an_archive_of_another_format_is_refused(valid_archive: Path, tmp_path: Path) -> None:
    members = with_manifest(
        members_of(valid_archive), lambda m: m.update(format="readiness-backup/9")
    )
    refused(write(tmp_path / "other.zip", members), MANIFEST, "readiness-backup/1")


@pytest.mark.django_db
def test_an_archive_written_by_a_newer_version_is_refused(
    valid_archive: Path, tmp_path: Path
) -> None:
    members = with_manifest(members_of(valid_archive), lambda m: m.update(readiness_version="99.0"))
    path = write(tmp_path / "newer.zip", members)
    with rows_unchanged(), pytest.raises(WrongState, match=re.escape("Readiness 99.0, newer")):
        restore_backup(path)


@pytest.mark.django_db
def test_an_archive_with_a_migration_unknown_here_is_refused(
    valid_archive: Path, tmp_path: Path
) -> None:
    members = with_manifest(
        members_of(valid_archive),
        lambda m: m["migrations"].append(["reports", "0099_from_the_future"]),
    )
    path = write(tmp_path / "future.zip", members)
    with (
        rows_unchanged(),
        pytest.raises(WrongState, match=re.escape("reports.0099_from_the_future")),
    ):
        restore_backup(path)


@pytest.mark.django_db
def test_a_version_that_is_not_a_version_number_is_refused(
    valid_archive: Path, tmp_path: Path
) -> None:
    members = with_manifest(
        members_of(valid_archive), lambda m: m.update(readiness_version="latest; rm -rf /")
    )
    refused(write(tmp_path / "odd.zip", members), "readiness_version", "not a version number")


@pytest.mark.django_db
def test_a_tampered_member_is_refused_by_its_checksum(valid_archive: Path, tmp_path: Path) -> None:
    members = members_of(valid_archive)
    users = members[USERS]
    members[USERS] = users.replace(b'"is_superuser":false', b'"is_superuser":true ', 1)
    assert members[USERS] != users and len(members[USERS]) == len(users)
    refused(write(tmp_path / "tampered.zip", members), USERS, "checksum")


@pytest.mark.django_db
def test_a_member_longer_than_the_manifest_says_is_refused(
    valid_archive: Path, tmp_path: Path
) -> None:
    members = members_of(valid_archive)
    members[USERS] += b'{"id": 999999}\n'
    refused(write(tmp_path / "longer.zip", members), USERS, "size differs")


@pytest.mark.django_db
def test_a_missing_member_is_refused(valid_archive: Path, tmp_path: Path) -> None:
    members = members_of(valid_archive)
    del members[USERS]
    refused(write(tmp_path / "missing.zip", members), USERS, "missing")


@pytest.mark.django_db
def test_a_huge_manifest_is_refused_before_it_is_read(valid_archive: Path, tmp_path: Path) -> None:
    members = members_of(valid_archive)
    members[MANIFEST] = b" " * (100 * 1024 * 1024)  # 100 MiB, about 100 KB compressed
    refused(write(tmp_path / "bomb.zip", members), MANIFEST, "larger than the limit")


@pytest.mark.django_db
def test_archives_larger_than_the_limit_are_refused_by_their_declared_sizes(
    valid_archive: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(archives, "MAX_ARCHIVE_BYTES", 1000)
    refused(valid_archive, "larger than the limit of 1,000 bytes")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", ["../../outside.txt", "/etc/cron.d/readiness", "data/../../outside.jsonl", "..\\x"]
)
def test_member_names_outside_the_archive_are_refused_and_never_written(
    valid_archive: Path, tmp_path: Path, name: str
) -> None:
    members = members_of(valid_archive)
    members[name] = b"* * * * * root id\n"
    refused(write(tmp_path / "climb.zip", members), name, "not a member of a Readiness backup")
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["climb.zip"]


@pytest.mark.django_db
def test_a_member_that_appears_twice_is_refused(valid_archive: Path, tmp_path: Path) -> None:
    members = members_of(valid_archive)
    items = [*members.items(), (USERS, members[USERS])]
    with pytest.warns(UserWarning, match="Duplicate name"):
        path = write(tmp_path / "twice.zip", items)
    refused(path, USERS, "appears twice")


@pytest.mark.django_db
def test_a_member_named_in_the_manifest_for_another_table_is_refused(
    valid_archive: Path, tmp_path: Path
) -> None:
    def point_two_tables_at_one_member(manifest: dict[str, Any]) -> None:
        manifest["tables"][1]["member"] = manifest["tables"][0]["member"]

    members = with_manifest(members_of(valid_archive), point_two_tables_at_one_member)
    refused(write(tmp_path / "shared.zip", members), "two tables share one member")


@pytest.mark.django_db
def test_an_installation_with_content_is_not_overwritten(valid_archive: Path) -> None:
    with rows_unchanged(), pytest.raises(WrongState, match="not empty"):
        restore_backup(valid_archive)
    assert Assessment.objects.filter(slug="vietnam-2019").exists()


# --- refused while reading the rows, in an empty installation --------------------


@pytest.fixture
def empty() -> None:
    without_content()


def users_line(members: Members, change: Callable[[dict[str, Any]], None]) -> bytes:
    """The users member with its first row changed."""
    first, rest = members[USERS].split(b"\n", 1)
    row = json.loads(first)
    change(row)
    return json.dumps(row).encode() + b"\n" + rest


@pytest.mark.django_db
def test_a_row_with_a_value_of_the_wrong_kind_is_refused_naming_its_line(
    valid_archive: Path, tmp_path: Path, empty: None
) -> None:
    members = members_of(valid_archive)
    bad = users_line(members, lambda row: row.update(date_joined="yesterday"))
    refused(write(tmp_path / "date.zip", with_member(members, USERS, bad)), f"{USERS}, line 1")
    assert not User.objects.exists()


@pytest.mark.django_db
def test_a_row_with_other_fields_than_the_manifest_is_refused(
    valid_archive: Path, tmp_path: Path, empty: None
) -> None:
    members = members_of(valid_archive)
    bad = users_line(members, lambda row: row.update(is_root=True))
    refused(
        write(tmp_path / "fields.zip", with_member(members, USERS, bad)),
        f"{USERS}, line 1",
        "fields differ",
    )


@pytest.mark.django_db
def test_a_row_that_is_not_json_is_refused(
    valid_archive: Path, tmp_path: Path, empty: None
) -> None:
    members = members_of(valid_archive)
    bad = b"{'id': 1}\n" + members[USERS].split(b"\n", 1)[1]
    refused(
        write(tmp_path / "json.zip", with_member(members, USERS, bad)),
        f"{USERS}, line 1",
        "not valid JSON",
    )


@pytest.mark.django_db
def test_a_huge_row_is_refused(valid_archive: Path, tmp_path: Path, empty: None) -> None:
    members = members_of(valid_archive)
    huge = b'{"id": "' + b"9" * archives.MAX_ROW_BYTES + b'"}\n'
    refused(
        write(tmp_path / "row.zip", with_member(members, USERS, huge)),
        f"{USERS}, line 1",
        "larger than the limit",
    )


@pytest.mark.django_db
def test_rows_that_refer_to_rows_the_archive_lacks_are_refused(
    valid_archive: Path, tmp_path: Path, empty: None
) -> None:
    members = members_of(valid_archive)
    path = write(tmp_path / "orphans.zip", with_member(members, USERS, b""))
    refused(path, "rows refer to rows the backup does not hold")
    assert not Assessment.objects.exists()


# --- the command line -------------------------------------------------------------


def test_the_command_refuses_a_truncated_archive_with_one_message(
    migrated_var: Path, valid_archive: Path, tmp_path: Path
) -> None:
    data = valid_archive.read_bytes()
    truncated = tmp_path / "truncated.zip"
    truncated.write_bytes(data[: len(data) // 3])
    result = run_readiness(migrated_var, "restore", str(truncated))
    assert_refused(result, str(truncated), "not a complete ZIP archive")


@pytest.mark.django_db
def test_a_manifest_with_a_negative_row_count_is_refused_naming_the_field(
    valid_archive: Path, tmp_path: Path
) -> None:
    def negative(manifest: dict[str, Any]) -> None:
        manifest["tables"][0]["rows"] = -1

    members = with_manifest(members_of(valid_archive), negative)
    refused(write(tmp_path / "negative.zip", members), MANIFEST, "tables[0].rows")


@pytest.mark.django_db
def test_a_table_listed_twice_is_refused(valid_archive: Path, tmp_path: Path, empty: None) -> None:
    members = members_of(valid_archive)
    manifest = manifest_of(members)
    twin = {**manifest["tables"][0], "member": "data/auth.twin.jsonl"}
    manifest["tables"].append(twin)
    members["data/auth.twin.jsonl"] = members[manifest["tables"][0]["member"]]
    members[MANIFEST] = json.dumps(manifest).encode()
    refused(write(tmp_path / "twice.zip", members), "a table is listed twice")
