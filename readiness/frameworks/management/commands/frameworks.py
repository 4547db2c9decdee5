from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count

from readiness.core.bilingual import pick
from readiness.core.errors import InvalidInput
from readiness.frameworks.models import Framework
from readiness.frameworks.services import load_framework_file, validate_framework_file


class Command(BaseCommand):
    help = "List, validate and load assessment frameworks (docs/framework-format.md)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser("list", help="the loaded frameworks")
        validate = actions.add_parser("validate", help="check framework files, load nothing")
        validate.add_argument("files", nargs="+", type=Path)
        load = actions.add_parser("load", help="validate and load framework files")
        load.add_argument("files", nargs="+", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "list":
            frameworks = Framework.objects.annotate(
                dimension_count=Count("dimensions", distinct=True),
                question_count=Count("questions", distinct=True),
            )
            for f in frameworks:
                self.stdout.write(
                    f"{f.key}\t{f.version}\t{f.dimension_count} dimensions\t"
                    f"{f.question_count} questions\t{pick(f.title, 'en')}"
                )
            return
        failed = False
        for path in options["files"]:
            try:
                if action == "validate":
                    framework = validate_framework_file(path)
                    questions = sum(len(d.questions) for d in framework.dimensions)
                    self.stdout.write(
                        f"{path}: valid ({framework.key} {framework.version}, "
                        f"{len(framework.dimensions)} dimensions, {questions} questions)"
                    )
                else:
                    stored, created = load_framework_file(path)
                    state = "loaded" if created else "already loaded"
                    self.stdout.write(f"{path}: {state} ({stored.key} {stored.version})")
            except InvalidInput as error:
                failed = True
                self.stderr.write(str(error))
        if failed:
            raise CommandError("some files are not valid frameworks; nothing was loaded from them")
