from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError
from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from readiness.core.bilingual import pick
from readiness.core.commands import ReadinessCommand
from readiness.core.errors import InvalidInput
from readiness.frameworks.models import Framework
from readiness.frameworks.services import load_framework_file, validate_framework_file


class Command(ReadinessCommand):
    help = gettext_lazy("List, validate and load assessment frameworks (docs/framework-format.md).")

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser("list", help=_("the loaded frameworks"))
        validate = actions.add_parser("validate", help=_("check framework files, load nothing"))
        load = actions.add_parser("load", help=_("validate and load framework files"))
        for command in (validate, load):
            command.add_argument("files", nargs="+", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "list":
            frameworks = Framework.objects.annotate(
                dimension_count=Count("dimensions", distinct=True),
                question_count=Count("questions", distinct=True),
            )
            for f in frameworks:
                counts = _("%(dimensions)d dimensions\t%(questions)d questions") % {
                    "dimensions": f.dimension_count,
                    "questions": f.question_count,
                }
                self.stdout.write(f"{f.key}\t{f.version}\t{counts}\t{pick(f.title)}")
            return
        self.check_files(action, options["files"])

    def check_files(self, action: str, paths: list[Path]) -> None:
        failed = False
        for path in paths:
            try:
                if action == "validate":
                    framework = validate_framework_file(path)
                    questions = sum(len(d.questions) for d in framework.dimensions)
                    self.stdout.write(
                        _(
                            "%(file)s: valid (%(key)s %(version)s, %(dimensions)d dimensions, "
                            "%(questions)d questions)"
                        )
                        % {
                            "file": path,
                            "key": framework.key,
                            "version": framework.version,
                            "dimensions": len(framework.dimensions),
                            "questions": questions,
                        }
                    )
                else:
                    stored, created = load_framework_file(path)
                    message = (
                        _("%(file)s: loaded (%(key)s %(version)s)")
                        if created
                        else _("%(file)s: already loaded (%(key)s %(version)s)")
                    )
                    self.stdout.write(
                        message % {"file": path, "key": stored.key, "version": stored.version}
                    )
            except InvalidInput as error:
                failed = True
                self.stderr.write(str(error))
        if failed:
            raise CommandError(
                _("Some files are not valid frameworks; nothing was loaded from them.")
            )
