"""`readiness fieldwork xlsform FRAMEWORK [VERSION] -o form.xlsx`: a framework
as an XLSForm for KoboToolbox or ODK Central."""

import argparse
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from readiness.fieldwork import xlsform
from readiness.frameworks.models import Framework
from readiness.frameworks.services import get_framework


def add_parser(actions: argparse._SubParsersAction, name: str) -> None:
    parser = actions.add_parser(
        name, help=_("write a framework as an XLSForm for KoboToolbox or ODK Central")
    )
    parser.add_argument("framework", help=_("a framework's key, e.g. dgra"))
    parser.add_argument(
        "framework_version",
        nargs="?",
        metavar="version",
        help=_("its version; needed only when several are loaded"),
    )
    parser.add_argument("-o", "--output", type=Path, required=True, help=_("the XLSX file"))


def chosen_framework(key: str, version: str | None) -> Framework:
    if version is not None:
        return get_framework(key, version)
    versions = list(Framework.objects.filter(key=key).order_by("version"))
    if len(versions) == 1:
        return versions[0]
    if not versions:
        raise CommandError(_("no framework %s is loaded") % key)
    raise CommandError(
        _("framework %(key)s is loaded in several versions; name one of: %(versions)s")
        % {"key": key, "versions": ", ".join(f.version for f in versions)}
    )


def run(command: BaseCommand, options: dict[str, Any]) -> None:
    framework = chosen_framework(options["framework"], options["framework_version"])
    options["output"].write_bytes(xlsform.build_xlsform(framework))
    command.stdout.write(_("wrote %(file)s") % {"file": options["output"]})
