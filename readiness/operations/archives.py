"""Backup archives (`readiness-backup/1`): one ZIP file holding every row of
every table as JSON lines, one member per table, and a manifest naming the
Readiness version and the migrations that wrote it. Stored files are rows too
(reports are kept in the database), so the rows are everything.

Rows rather than SQLite's backup API or pg_dump (docs/operations.md):
- one archive from either database, restorable into either (the embedded
  SQLite start moved to PostgreSQL is the usual path);
- a restore only inserts rows through Django, so a damaged or forged archive
  cannot run SQL (a pg_dump file is a script run by the database);
- no client binaries whose version must match the server's;
- every member is checked (names, sizes, checksums, fields) before a row is
  written, and a refusal names the member and line.

The rows are read inside one read-only transaction (REPEATABLE READ on
PostgreSQL, a WAL read snapshot on SQLite): consistent while people keep
working. A restore goes into an empty installation only; an archive of an
older schema is loaded at its own schema state and then migrated forward."""

import base64
import datetime
import decimal
import hashlib
import json
import os
import re
import uuid
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from importlib.metadata import version as package_version
from pathlib import Path
from typing import IO, Any, NoReturn

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import DatabaseError, IntegrityError, connection, models, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.duration import duration_iso_string
from django.utils.translation import gettext as _
from packaging.version import InvalidVersion, Version
from pydantic import BaseModel, ConfigDict, Field
from pydantic import ValidationError as PydanticError

from readiness.core.errors import FieldError, InvalidInput, WrongState
from readiness.core.readers import read_json, too_large
from readiness.frameworks.services import (
    builtin_framework_files,
    content_hash,
    errors_from_pydantic,
    validate_framework_file,
)

FORMAT = "readiness-backup/1"
MANIFEST = "manifest.json"
# The demo's manifest is about 10 KB; a schema would need thousands of tables to fill this.
MAX_MANIFEST_BYTES = 1024 * 1024
# One row is one line. The largest is a stored report file, base64-encoded:
# the demo's PDF is under 1 MB, so 64 MiB leaves a wide margin.
MAX_ROW_BYTES = 64 * 1024 * 1024
# All members together, uncompressed, as the ZIP directory declares them
# (reading never yields more than declared: zipfile stops there).
MAX_ARCHIVE_BYTES = 64 * 1024**3
# Rows read and inserted per query.
BATCH = 500
# Runtime state, not content: not backed up, and cleared on restore.
EPHEMERAL = frozenset({"operations.workerheartbeat"})
# Reference data `migrate` writes into every database: Django's content types
# and permissions, the ISO jurisdictions and the built-in frameworks (their
# levels, dimensions and questions too). An empty installation holds only
# these; a restore replaces them with the archive's, whose ids its rows cite.
MADE_BY_MIGRATE = ("contenttypes.", "auth.permission", "registry.jurisdiction", "frameworks.")
MEMBER_NAME = re.compile(r"data/[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*\.jsonl")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Table(Strict):
    model: str = Field(pattern=r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$", max_length=200)
    member: str = Field(pattern=MEMBER_NAME.pattern, max_length=220)
    fields: list[str] = Field(max_length=1000)
    rows: int = Field(ge=0)
    bytes: int = Field(ge=0)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")


class Manifest(Strict):
    format: str
    readiness_version: str = Field(max_length=50)
    created_at: datetime.datetime
    database: str = Field(max_length=50)
    migrations: list[tuple[str, str]] = Field(max_length=10_000)
    tables: list[Table] = Field(max_length=10_000)


@dataclass(frozen=True)
class Summary:
    tables: int
    rows: int
    readiness_version: str


def current_version() -> str:
    return package_version("readiness")


# --- backup ---------------------------------------------------------------------


@contextmanager
def read_snapshot() -> Iterator[None]:
    """Every read inside sees the database as it was at the first one, while
    writers go on. Inside a caller's transaction (the tests) that one is used."""
    if connection.in_atomic_block:
        yield
        return
    connection.ensure_connection()
    begin = (
        "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY"
        if connection.vendor == "postgresql"
        else "BEGIN DEFERRED"
    )
    with connection.cursor() as cursor:
        cursor.execute(begin)
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("ROLLBACK")


def models_at(nodes: list[tuple[str, str]]) -> list[type[models.Model]]:
    """The tables as the migrations `nodes` made them (historical models), by label."""
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    state = loader.project_state(nodes=nodes, at_end=True)
    tables = [
        model
        for model in state.apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    ]
    return sorted(tables, key=lambda model: model._meta.label_lower)


def applied_migrations() -> list[tuple[str, str]]:
    return sorted(MigrationRecorder(connection).applied_migrations())


def write_backup(destination: Path) -> Summary:
    """Write the archive to `destination` (through a temporary file beside it,
    so that a failed backup leaves no partial archive under that name)."""
    partial = destination.with_name(f".{destination.name}.partial")
    try:
        with read_snapshot():
            applied = applied_migrations()
            loader = MigrationLoader(connection, ignore_no_migrations=True)
            unknown = [node for node in applied if node not in loader.graph.nodes]
            if unknown:
                raise WrongState(
                    _(
                        "the database has migrations this version of Readiness does not "
                        "know (%(names)s): back it up with the version that migrated it"
                    )
                    % {"names": ", ".join(f"{app}.{name}" for app, name in unknown)}
                )
            with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
                tables = [
                    write_table(archive, model)
                    for model in models_at(applied)
                    if model._meta.label_lower not in EPHEMERAL
                ]
                manifest = Manifest(
                    format=FORMAT,
                    readiness_version=current_version(),
                    created_at=timezone.now(),
                    database=connection.vendor,
                    migrations=applied,
                    tables=tables,
                )
                archive.writestr(MANIFEST, manifest.model_dump_json(indent=1))
        os.replace(partial, destination)
    finally:
        with suppress(FileNotFoundError):
            partial.unlink()
    return Summary(len(tables), sum(t.rows for t in tables), manifest.readiness_version)


def write_table(archive: zipfile.ZipFile, model: type[models.Model]) -> Table:
    fields = model._meta.local_concrete_fields
    names = [field.attname for field in fields]
    label = model._meta.label_lower
    member = f"data/{label}.jsonl"
    digest = hashlib.sha256()
    rows = size = 0
    with archive.open(member, "w", force_zip64=True) as out:
        for row in rows_of(model, names):
            line = json.dumps(
                dict(zip(names, map(encode, row), strict=True)),
                ensure_ascii=False,
                separators=(",", ":"),
            ).encode("utf-8")
            line += b"\n"
            out.write(line)
            digest.update(line)
            rows += 1
            size += len(line)
    return Table(
        model=label, member=member, fields=names, rows=rows, bytes=size, sha256=digest.hexdigest()
    )


def rows_of(model: type[models.Model], names: list[str]) -> Iterator[tuple[Any, ...]]:
    """Every row in primary key order, BATCH at a time (bounded memory)."""
    pk = model._meta.pk.attname
    at = names.index(pk)
    ordered = model._base_manager.order_by(pk).values_list(*names)
    page = list(ordered[:BATCH])
    while page:
        yield from page
        if len(page) < BATCH:
            return
        page = list(ordered.filter(**{f"{pk}__gt": page[-1][at]})[:BATCH])


def encode(value: Any) -> Any:
    """A column's value as JSON; `Field.to_python` reads each back."""
    if value is None or isinstance(value, bool | int | float | str | list | dict):
        return value
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return duration_iso_string(value)
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    raise TypeError(f"no JSON form for {type(value).__name__}")


# --- reading an archive -----------------------------------------------------------


def refuse(source: Path, where: str, message: str) -> NoReturn:
    raise InvalidInput([FieldError(where, message)], str(source))


class Archive:
    """An opened archive whose structure, manifest and checksums are checked."""

    def __init__(self, source: Path, zip_file: zipfile.ZipFile) -> None:
        self.source = source
        self.zip = zip_file
        self.manifest = self.read_manifest()
        self.check_members()

    def read_manifest(self) -> Manifest:
        names = [info.filename for info in self.zip.infolist()]
        if MANIFEST not in names:
            refuse(self.source, "", _("not a Readiness backup: it has no %s") % MANIFEST)
        info = self.zip.getinfo(MANIFEST)
        if info.file_size > MAX_MANIFEST_BYTES:
            refuse(self.source, MANIFEST, too_large(MAX_MANIFEST_BYTES))
        data = read_json(
            self.read(MANIFEST), f"{self.source}: {MANIFEST}", max_bytes=MAX_MANIFEST_BYTES
        )
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            refuse(
                self.source,
                MANIFEST,
                _("not a Readiness backup: the format must be %s") % FORMAT,
            )
        try:
            return Manifest.model_validate(data)
        except PydanticError as error:
            raise InvalidInput(errors_from_pydantic(error), f"{self.source}: {MANIFEST}") from None

    def read(self, name: str) -> bytes:
        with self.member(name) as file:
            return file.read()

    @contextmanager
    def member(self, name: str) -> Iterator[IO[bytes]]:
        try:
            with self.zip.open(name) as file:
                yield file
        except (zipfile.BadZipFile, zlib.error, EOFError) as error:
            refuse(self.source, name, _("damaged: %s") % error)

    def check_members(self) -> None:
        """Exactly the manifest's members, each of its declared size and
        checksum (read once, in chunks), within the size limits."""
        expected = {table.member: table for table in self.manifest.tables}
        if len(expected) != len(self.manifest.tables):
            refuse(self.source, MANIFEST, _("two tables share one member"))
        seen: set[str] = set()
        total = 0
        for info in self.zip.infolist():
            name = info.filename
            if name in seen:
                refuse(self.source, name, _("the member appears twice"))
            seen.add(name)
            if name == MANIFEST:
                continue
            if name not in expected:
                refuse(self.source, name, _("not a member of a Readiness backup"))
            if info.file_size != expected[name].bytes:
                refuse(self.source, name, _("its size differs from the manifest's"))
            total += info.file_size
        if total > MAX_ARCHIVE_BYTES:
            refuse(self.source, "", too_large(MAX_ARCHIVE_BYTES))
        missing = sorted(set(expected) - seen)
        if missing:
            refuse(self.source, missing[0], _("the member is missing"))
        for table in self.manifest.tables:
            digest = hashlib.sha256()
            with self.member(table.member) as file:
                while chunk := file.read(1024 * 1024):
                    digest.update(chunk)
            if digest.hexdigest() != table.sha256:
                refuse(self.source, table.member, _("its checksum differs from the manifest's"))

    def rows(self, table: Table) -> Iterator[tuple[int, dict[str, Any]]]:
        """(line number, row) of one member, each line within MAX_ROW_BYTES."""
        with self.member(table.member) as file:
            number = 0
            while line := file.readline(MAX_ROW_BYTES + 1):
                number += 1
                where = _("%(member)s, line %(line)d") % {"member": table.member, "line": number}
                if len(line) > MAX_ROW_BYTES:
                    refuse(self.source, where, too_large(MAX_ROW_BYTES))
                row = read_json(line, f"{self.source}: {where}", max_bytes=MAX_ROW_BYTES)
                if not isinstance(row, dict) or sorted(row) != sorted(table.fields):
                    refuse(self.source, where, _("the row's fields differ from the manifest's"))
                yield number, row


@contextmanager
def open_archive(source: Path) -> Iterator[Archive]:
    try:
        zip_file = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, EOFError):
        refuse(source, "", _("not a Readiness backup: not a complete ZIP archive"))
    except OSError as error:
        refuse(source, "", _("cannot be read: %s") % (error.strerror or error))
    with zip_file:
        yield Archive(source, zip_file)


# --- restore --------------------------------------------------------------------


def refuse_newer(archive: Archive) -> None:
    """An archive written by a newer Readiness (a later version, or a
    migration this one does not have) cannot be loaded here."""
    manifest = archive.manifest
    try:
        written_by = Version(manifest.readiness_version)
    except InvalidVersion:
        refuse(archive.source, f"{MANIFEST}: readiness_version", _("not a version number"))
    known = MigrationLoader(connection, ignore_no_migrations=True).graph.nodes
    unknown = [f"{app}.{name}" for app, name in manifest.migrations if (app, name) not in known]
    if written_by > Version(current_version()) or unknown:
        raise WrongState(
            _(
                "this backup was written by Readiness %(archive)s, newer than this "
                "installation (%(current)s); upgrade Readiness first"
            )
            % {"archive": manifest.readiness_version, "current": current_version()}
            + (" (" + ", ".join(unknown[:5]) + ")" if unknown else "")
        )


def builtin_framework_hashes() -> set[str]:
    return {content_hash(validate_framework_file(path)) for path in builtin_framework_files()}


def tables_with_content() -> list[str]:
    """The tables holding more than an empty installation does: a framework
    loaded by someone counts, a built-in one does not."""
    found = []
    for model in models_at(applied_migrations()):
        label = model._meta.label_lower
        if label == "frameworks.framework":
            rows = model._base_manager.exclude(content_hash__in=builtin_framework_hashes())
        elif label in EPHEMERAL or label.startswith(MADE_BY_MIGRATE):
            continue
        else:
            rows = model._base_manager.all()
        if rows.exists():
            found.append(label)
    return found


def schema_targets(archive: Archive) -> list[tuple[str, str | None]]:
    """Per app, the archive's last migration (None: the app did not exist yet);
    refused unless the archive's migrations are exactly what these lead to."""
    graph = MigrationLoader(connection, ignore_no_migrations=True).graph
    nodes = {(app, name) for app, name in archive.manifest.migrations}
    targets: list[tuple[str, str | None]] = []
    for app in sorted({app for app, _name in graph.nodes}):
        own = [node for node in nodes if node[0] == app]
        targets.append(max(own, key=lambda n: len(graph.forwards_plan(n))) if own else (app, None))
    reached = {node for target in targets if target[1] for node in graph.forwards_plan(target)}
    if reached != nodes:
        refuse(archive.source, f"{MANIFEST}: migrations", _("not a consistent set of migrations"))
    return targets


def restore_backup(source: Path) -> Summary:
    """Load the archive into this installation, which must be empty (migrated,
    no content). Refusals come before anything is changed."""
    with open_archive(source) as archive:
        refuse_newer(archive)
        occupied = tables_with_content()
        if occupied:
            raise WrongState(
                _(
                    "this installation is not empty (%(tables)s have rows): restore only "
                    "into a new database on which `readiness migrate` has run"
                )
                % {"tables": ", ".join(occupied[:5])}
            )
        targets = schema_targets(archive)
        nodes = [(app, name) for app, name in archive.manifest.migrations]
        moved = set(nodes) != set(applied_migrations())
        try:
            if moved:
                MigrationExecutor(connection).migrate(targets)
            load_rows(archive, models_at(nodes))
        finally:
            if moved:
                call_command("migrate", interactive=False, verbosity=0)
        ContentType.objects.clear_cache()
        manifest = archive.manifest
        return Summary(
            len(manifest.tables), sum(t.rows for t in manifest.tables), manifest.readiness_version
        )


def load_rows(archive: Archive, tables: list[type[models.Model]]) -> None:
    by_label = {model._meta.label_lower: model for model in tables}
    wanted = set(by_label) - EPHEMERAL
    listed = {table.model for table in archive.manifest.tables}
    if len(listed) != len(archive.manifest.tables):
        refuse(archive.source, MANIFEST, _("a table is listed twice"))
    if listed != wanted:
        odd = sorted(listed ^ wanted)[0]
        refuse(archive.source, MANIFEST, _("the tables do not match its migrations: %s") % odd)
    with transaction.atomic():
        # Only reference data and heartbeats are left (tables_with_content):
        # the archive's rows replace them. Foreign keys are checked below.
        for model in tables:
            model._base_manager.all()._raw_delete(connection.alias)
        for table in archive.manifest.tables:
            insert_table(archive, table, by_label[table.model])
        try:
            connection.check_constraints(table_names=[m._meta.db_table for m in tables])
        except IntegrityError as error:
            refuse(archive.source, "", _("rows refer to rows the backup does not hold: %s") % error)
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), tables):
                cursor.execute(statement)


def insert_table(archive: Archive, table: Table, model: type[models.Model]) -> None:
    fields = {field.attname: field for field in model._meta.local_concrete_fields}
    if sorted(fields) != sorted(table.fields):
        refuse(archive.source, table.member, _("its fields differ from the schema's"))
    columns = list(fields.values())
    batch: list[models.Model] = []
    where = table.member
    number = 0
    try:
        for number, row in archive.rows(table):
            where = _("%(member)s, line %(line)d") % {"member": table.member, "line": number}
            batch.append(model(**{name: decode(fields[name], row[name]) for name in fields}))
            if len(batch) == BATCH:
                model._base_manager._insert(batch, fields=columns, raw=True)  # type: ignore[attr-defined]
                batch = []
        if batch:
            model._base_manager._insert(batch, fields=columns, raw=True)  # type: ignore[attr-defined]
    except ValidationError as error:
        refuse(archive.source, where, "; ".join(error.messages))
    except DatabaseError as error:
        where = _("%(member)s, up to line %(line)d") % {"member": table.member, "line": number}
        refuse(archive.source, where, _("the rows cannot be stored: %s") % error)


def decode(field: models.Field, value: Any) -> Any:
    return None if value is None else field.to_python(value)
