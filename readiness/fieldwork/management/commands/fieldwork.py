"""`readiness fieldwork`: offline collection from the command line. Each
subcommand is defined beside the others of its kind: `xlsform` in
_forms.py, `import` in _submissions.py, the missions, meetings, people met
and coverage in _missions.py."""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from readiness.core.commands import ReadinessCommand
from readiness.core.errors import ServiceError
from readiness.fieldwork.management.commands import _forms, _missions, _submissions

SUBCOMMANDS = {
    "xlsform": _forms,
    "import": _submissions,
    **dict.fromkeys(_missions.NAMES, _missions),
}


class Command(ReadinessCommand):
    help = gettext_lazy(
        "Offline field collection: write a framework as an "
        "XLSForm, import the submissions exported from KoboToolbox or ODK Central; "
        "missions, meetings, the people met, passages cited and the coverage grid."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        for name, module in SUBCOMMANDS.items():
            module.add_parser(actions, name)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            SUBCOMMANDS[options["action"]].run(self, options)
        except ServiceError as error:
            raise CommandError(_("nothing was changed: %(error)s") % {"error": error}) from None
        except OSError as error:
            raise CommandError(str(error)) from None
