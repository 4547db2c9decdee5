from typing import Any

from django.core.management.base import CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from readiness.core.commands import ReadinessCommand
from readiness.operations.services import recover_abandoned_jobs


class Command(ReadinessCommand):
    help = gettext_lazy(
        "Background jobs. recover: queue again (or fail, after two tries) the jobs left "
        "running by workers that stopped beating; every worker also does this with each "
        "heartbeat (docs/operations.md)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser("recover", help=_("recover the jobs of workers that are gone"))

    def handle(self, *args: Any, **options: Any) -> None:
        recovered = recover_abandoned_jobs()
        for job in recovered:
            message = (
                _("job %(job)s of worker %(worker)s, which is gone: queued again")
                if job.queued_again
                else _("job %(job)s of worker %(worker)s, which is gone: failed")
            )
            self.stdout.write(message % {"job": job.job_id, "worker": job.worker_id})
        if not recovered:
            self.stdout.write(_("no jobs of workers that are gone"))
