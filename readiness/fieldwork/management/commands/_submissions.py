"""`readiness fieldwork import SLUG FILE`: the submissions of a KoboToolbox
or ODK Central export (CSV, XLSX, JSON) as evidence and proposed ratings."""

import argparse
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from readiness.assessments.permissions import Action
from readiness.assessments.services.assessments import get_assessment
from readiness.core.commands import actor_named, add_actor_argument
from readiness.fieldwork.services.submissions import import_submissions, read_upload


def add_parser(actions: argparse._SubParsersAction, name: str) -> None:
    parser = actions.add_parser(
        name, help=_("import the submissions exported from KoboToolbox or ODK Central")
    )
    parser.add_argument("slug", help=_("the assessment"))
    parser.add_argument("file", type=Path, help=_("the export: CSV, XLSX or JSON"))
    add_actor_argument(parser)


def run(command: BaseCommand, options: dict[str, Any]) -> None:
    actor = actor_named(options.get("actor"))
    assessment = get_assessment(actor, options["slug"], Action.EDIT)
    path: Path = options["file"]
    with path.open("rb") as stream:
        data = read_upload(stream, path.name)
    outcome = import_submissions(actor=actor, assessment=assessment, data=data, source=path.name)
    command.stdout.write(
        _(
            "%(read)d submissions read: %(added)d added, %(skipped)d imported before; "
            "%(evidence)d evidence items, %(proposals)d ratings proposed"
        )
        % {
            "read": outcome.read,
            "added": outcome.added,
            "skipped": outcome.skipped,
            "evidence": outcome.evidence_added,
            "proposals": outcome.proposals_added,
        }
    )
    for warning in outcome.warnings:
        command.stderr.write(_("warning: %s") % warning)
