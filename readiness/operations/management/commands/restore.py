from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from readiness.operations.archives import restore_backup


class Command(BaseCommand):
    help = (
        "Restore an archive written by `readiness backup` into an empty installation "
        "(a new database after `readiness migrate`), then bring it to this version's schema."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path)

    def handle(self, *args: Any, archive: Path, **options: Any) -> None:
        summary = restore_backup(archive)
        self.stdout.write(
            f"{archive}: {summary.rows} rows of {summary.tables} tables restored "
            f"(written by Readiness {summary.readiness_version})"
        )
