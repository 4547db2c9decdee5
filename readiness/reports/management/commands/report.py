from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from readiness.assessments import services as assessment_services
from readiness.core import formatting
from readiness.core.commands import ReadinessCommand, actor_named, add_actor_argument
from readiness.core.errors import ServiceError
from readiness.reports import services
from readiness.reports.formats import FORMAT_NAMES


class Command(ReadinessCommand):
    help = gettext_lazy(
        "Render an assessment's report now: readiness report SLUG --format pdf --lang vi -o FILE. "
        "A published assessment's report is made from its latest published version; "
        "--lang is the language of the report and of the messages."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("slug")
        parser.add_argument("--format", choices=FORMAT_NAMES, default="pdf")
        parser.add_argument("-o", "--output", type=Path, help=_("default: the report's file name"))
        parser.add_argument(
            "--publication",
            type=int,
            help=_("the published version to render (default: see above)"),
        )
        add_actor_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        actor = actor_named(options["actor"])
        try:
            assessment = assessment_services.get_assessment(actor, options["slug"])
            name, data = services.render(
                actor, assessment, options["format"], options["lang"], options["publication"]
            )
        except ServiceError as error:
            raise CommandError(str(error)) from None
        output: Path = options["output"] or Path(name)
        output.write_bytes(data)
        self.stdout.write(
            _("wrote %(file)s (%(bytes)s bytes)")
            % {"file": output, "bytes": formatting.number(len(data))}
        )
