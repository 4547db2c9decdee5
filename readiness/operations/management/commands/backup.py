from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from readiness.core import formatting
from readiness.core.commands import ReadinessCommand
from readiness.operations.archives import write_backup


class Command(ReadinessCommand):
    help = gettext_lazy(
        "Write one consistent archive of everything (every row of every table, stored "
        "report files included) while the application runs (docs/operations.md)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("-o", "--output", required=True, type=Path, help=_("archive to write"))

    def handle(self, *args: Any, output: Path, **options: Any) -> None:
        summary = write_backup(output)
        self.stdout.write(
            _("%(file)s: %(rows)s rows of %(tables)s tables (Readiness %(version)s)")
            % {
                "file": output,
                "rows": formatting.number(summary.rows),
                "tables": summary.tables,
                "version": summary.readiness_version,
            }
        )
