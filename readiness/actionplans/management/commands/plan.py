import datetime
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from readiness.actionplans import selectors, services, spreadsheet
from readiness.actionplans.models import Action
from readiness.assessments import services as assessment_services
from readiness.core import formatting, readers, spreadsheets
from readiness.core.commands import ReadinessCommand, actor_named, add_actor_argument
from readiness.core.errors import ServiceError


class Command(ReadinessCommand):
    help = gettext_lazy(
        "Action plans: import a plan file (docs/action-plan-format.md), show a plan."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        load = actions.add_parser(
            "import", help=_("add the actions of a plan file, all or nothing")
        )
        load.add_argument("file", type=Path)
        show = actions.add_parser("show", help=_("the actions, months and critical path"))
        show.add_argument("slug")
        export = actions.add_parser("export-xlsx", help=_("write the plan as an XLSX workbook"))
        export.add_argument("slug")
        export.add_argument("-o", "--output", type=Path, required=True)
        workbook = actions.add_parser("import-xlsx", help=_("add the actions of a workbook"))
        workbook.add_argument("slug")
        workbook.add_argument("file", type=Path)
        progress = actions.add_parser("progress", help=_("report progress on an action"))
        progress.add_argument("slug")
        progress.add_argument("key")
        progress.add_argument("--percent", type=int, required=True)
        progress.add_argument("--status", required=True, choices=Action.Status.values)
        progress.add_argument("--note", required=True)
        progress.add_argument("--date", type=datetime.date.fromisoformat, default=None)
        progress.add_argument("--evidence-url", default="")
        edit = actions.add_parser(
            "edit",
            help=_("change fields of an action (named as in a plan file); others stay"),
        )
        add_actor_argument(edit)
        edit.add_argument("slug")
        edit.add_argument("key")
        edit.add_argument(
            "--version", type=int, required=True, help=_("the version it is based on")
        )
        edit.add_argument(
            "--set",
            dest="fields",
            action="append",
            required=True,
            metavar="FIELD=VALUE",
            help=_("e.g. title=…, start_month=4, depends_on=a,b (lists: comma-separated)"),
        )
        delete = actions.add_parser("delete", help=_("delete an action (restorable)"))
        add_actor_argument(delete)
        delete.add_argument("slug")
        delete.add_argument("key")
        delete.add_argument("--version", type=int, required=True)
        delete.add_argument(
            "--confirm",
            action="store_true",
            help=_("also when other actions start after it"),
        )
        deleted = actions.add_parser("deleted", help=_("deleted actions that can be restored"))
        deleted.add_argument("slug")
        restore = actions.add_parser("restore", help=_("bring back a deleted action"))
        add_actor_argument(restore)
        restore.add_argument("slug")
        restore.add_argument("change_id", type=int, help=_("as `plan deleted` lists it"))

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["action"] == "import":
                path: Path = options["file"]
                data = readers.read_yaml(
                    readers.read_file(path, readers.MAX_PLAN_BYTES),
                    str(path),
                    max_bytes=readers.MAX_PLAN_BYTES,
                )
                created = services.import_plan(None, data, str(path))
                self.stdout.write(imported(len(created)))
                return
            assessment = assessment_services.get_assessment(None, options["slug"])
            if options["action"] == "export-xlsx":
                options["output"].write_bytes(spreadsheet.export_plan(assessment))
                self.stdout.write(_("wrote %(file)s") % {"file": options["output"]})
                return
            if options["action"] == "import-xlsx":
                path = options["file"]
                with path.open("rb") as file:
                    data = spreadsheets.read_upload(file)
                created = spreadsheet.import_plan_workbook(None, assessment, data, str(path))
                self.stdout.write(imported(len(created)))
                return
            if options["action"] == "edit":
                action = services.update_action(
                    actor=actor_named(options["actor"]),
                    assessment=assessment,
                    key=options["key"],
                    changes=field_values(options["fields"]),
                    expected_version=options["version"],
                )
                self.stdout.write(
                    _("saved %(key)s, now version %(version)s")
                    % {"key": action.key, "version": action.version}
                )
                return
            if options["action"] == "delete":
                services.delete_action(
                    actor=actor_named(options["actor"]),
                    assessment=assessment,
                    key=options["key"],
                    expected_version=options["version"],
                    confirmed=options["confirm"],
                )
                self.stdout.write(_("deleted %(key)s") % {"key": options["key"]})
                return
            if options["action"] == "deleted":
                for change in services.deleted_actions(assessment):
                    before = change.before or {}
                    self.stdout.write(
                        f"{change.pk}\t{formatting.date_time(change.at)}\t"
                        f"{before['key']}\t{before['title']}"
                    )
                return
            if options["action"] == "restore":
                action = services.restore_action(
                    actor=actor_named(options["actor"]),
                    assessment=assessment,
                    change_id=options["change_id"],
                )
                self.stdout.write(_("restored %(key)s") % {"key": action.key})
                return
            if options["action"] == "progress":
                services.record_progress(
                    actor=None,
                    assessment=assessment,
                    key=options["key"],
                    date=options["date"] or datetime.date.today(),
                    note=options["note"],
                    percent=options["percent"],
                    status=options["status"],
                    evidence_url=options["evidence_url"],
                )
                self.stdout.write(
                    _("recorded %(percent)s on %(key)s")
                    % {"percent": formatting.percent(options["percent"]), "key": options["key"]}
                )
                return
            view = selectors.plan(assessment)
        except OSError as error:
            raise CommandError(str(error)) from None
        except ServiceError as error:
            raise CommandError(_("nothing was changed:\n%(errors)s") % {"errors": error}) from None
        for action in view.actions:
            mark = "*" if action.key in view.critical else " "
            months = _("months %(start)s-%(end)s") % {
                "start": action.start_month,
                "end": action.end_month,
            }
            self.stdout.write(
                f"{mark} {action.key}\t{months}\t{action.get_phase_display()}\t"
                f"{action.responsible.abbreviation}\t{action.title}"
            )
        self.stdout.write(_("critical path (*): %(keys)s") % {"keys": " → ".join(view.critical)})


def imported(count: int) -> str:
    return ngettext("imported %(count)d action", "imported %(count)d actions", count) % {
        "count": count
    }


LIST_FIELDS = {"dimensions", "questions", "supporting", "depends_on"}


def field_values(pairs: list[str]) -> dict[str, Any]:
    """`--set FIELD=VALUE` as the changes of an action; the service checks them."""
    changes: dict[str, Any] = {}
    for pair in pairs:
        name, equals, value = pair.partition("=")
        if not equals:
            raise CommandError(_("--set %(pair)s: write FIELD=VALUE") % {"pair": pair})
        name = name.strip()
        changes[name] = (
            [v.strip() for v in value.split(",") if v.strip()] if name in LIST_FIELDS else value
        )
    return changes
