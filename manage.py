#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "readiness.settings")
    # The checkout's manage.py is the developer's tool; deployments run `readiness`.
    os.environ.setdefault("READINESS_ENV", "development")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
