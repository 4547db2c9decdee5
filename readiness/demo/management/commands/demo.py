from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from readiness.core.commands import ReadinessCommand
from readiness.demo.services import DEMO_PASSWORD, DEMO_TEAM, DEMO_USERNAME, load_demo


class Command(ReadinessCommand):
    help = gettext_lazy("Load the demo account and the 2019 Vietnam assessment (idempotent).")

    def handle(self, *args: Any, **options: Any) -> None:
        _user, assessment, created = load_demo()
        loaded = (
            _("Demo assessment %(slug)s loaded.")
            if created
            else _("Demo assessment %(slug)s already present.")
        )
        self.stdout.write(loaded % {"slug": assessment.slug})
        self.stdout.write(
            _("Demo login: username %(username)s, password %(password)s")
            % {"username": DEMO_USERNAME, "password": DEMO_PASSWORD}
        )
        others = ", ".join(f"{name} ({role.label})" for name, role in DEMO_TEAM.items())
        self.stdout.write(_("Also with that password, one per role: %(users)s") % {"users": others})
