import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from readiness.assessments import documents, services
from readiness.assessments.models import Assessment
from readiness.core import readers
from readiness.core.commands import actor_named, add_actor_argument
from readiness.core.errors import Forbidden, InvalidInput, NotFound


class Command(BaseCommand):
    help = "Export an assessment to JSON, import it back (docs/assessment-format.md)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser("list", help="the assessments")
        export = actions.add_parser("export", help="write an assessment as JSON")
        export.add_argument("slug")
        export.add_argument("-o", "--output", type=Path, help="file (default: standard output)")
        load = actions.add_parser("import", help="create an assessment from a JSON document")
        load.add_argument("file", type=Path)
        add_actor_argument(load)

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "list":
            for a in Assessment.objects.all():
                self.stdout.write(f"{a.slug}\t{a.title}")
        elif action == "export":
            try:
                text = documents.dumps(
                    documents.export_assessment(services.get_assessment(None, options["slug"]))
                )
            except NotFound as error:
                raise CommandError(str(error)) from None
            if options["output"]:
                options["output"].write_text(text, encoding="utf-8")
            else:
                sys.stdout.write(text)
        else:
            path: Path = options["file"]
            try:
                data = readers.read_json(
                    readers.read_file(path, readers.MAX_ASSESSMENT_BYTES),
                    str(path),
                    max_bytes=readers.MAX_ASSESSMENT_BYTES,
                )
                assessment = documents.import_assessment(
                    actor_named(options["actor"]), data, str(path)
                )
            except Forbidden as error:
                raise CommandError(f"nothing was imported: {error}") from None
            except InvalidInput as error:
                raise CommandError(f"nothing was imported:\n{error}") from None
            self.stdout.write(f"imported {assessment.slug}: {assessment.title}")
