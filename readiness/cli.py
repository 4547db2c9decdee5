"""The `readiness` console command: Django's management commands, preset to
this project's settings (`readiness frameworks list`, `readiness migrate`, …)."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "readiness.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["readiness", *sys.argv[1:]])
