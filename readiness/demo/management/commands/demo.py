from typing import Any

from django.core.management.base import BaseCommand

from readiness.demo.services import DEMO_PASSWORD, DEMO_TEAM, DEMO_USERNAME, load_demo


class Command(BaseCommand):
    help = "Load the demo account and the 2019 Vietnam assessment (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        _, assessment, created = load_demo()
        state = "loaded" if created else "already present"
        self.stdout.write(f"Demo assessment {assessment.slug} {state}.")
        self.stdout.write(f"Demo login: username {DEMO_USERNAME}, password {DEMO_PASSWORD}")
        others = ", ".join(f"{name} ({role.label})" for name, role in DEMO_TEAM.items())
        self.stdout.write(f"Also with that password, one per role: {others}")
