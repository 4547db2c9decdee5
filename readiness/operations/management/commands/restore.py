from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from readiness.core import formatting
from readiness.core.commands import ReadinessCommand
from readiness.operations.archives import restore_backup


class Command(ReadinessCommand):
    help = gettext_lazy(
        "Restore an archive written by `readiness backup` into an empty installation "
        "(a new database after `readiness migrate`), then bring it to this version's schema."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path)

    def handle(self, *args: Any, archive: Path, **options: Any) -> None:
        summary = restore_backup(archive)
        self.stdout.write(
            _(
                "%(file)s: %(rows)s rows of %(tables)s tables restored "
                "(written by Readiness %(version)s)"
            )
            % {
                "file": archive,
                "rows": formatting.number(summary.rows),
                "tables": summary.tables,
                "version": summary.readiness_version,
            }
        )
