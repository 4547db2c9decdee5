from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from readiness.operations.archives import write_backup


class Command(BaseCommand):
    help = (
        "Write one consistent archive of everything (every row of every table, stored "
        "report files included) while the application runs (docs/operations.md)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("-o", "--output", required=True, type=Path, help="archive to write")

    def handle(self, *args: Any, output: Path, **options: Any) -> None:
        summary = write_backup(output)
        self.stdout.write(
            f"{output}: {summary.rows} rows of {summary.tables} tables "
            f"(Readiness {summary.readiness_version})"
        )
