"""The `readiness` console command: Django's management commands, preset to
this project's settings (`readiness frameworks list`, `readiness migrate`, …).

Where the database has not been made yet it says what to run instead of
failing with a traceback, and a refusal from the services, an unreadable
file or a database error that reaches it is printed as a message, in the
language of `--lang` (as the command's own messages); add `--traceback` to
see the traceback instead."""

import os
import sys
from pathlib import Path

import django
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import execute_from_command_line, get_commands
from django.db import DatabaseError, connection
from django.utils import translation
from django.utils.translation import gettext as _

from readiness.core.errors import ServiceError

# Commands that work without this project's tables (or make them).
WITHOUT_DATABASE = frozenset(
    {
        "check",
        "collectstatic",
        "compilemessages",
        "createcachetable",
        "diffsettings",
        "export_openapi_schema",
        "findstatic",
        "help",
        "makemessages",
        "makemigrations",
        "migrate",
        "optimizemigration",
        "sendtestemail",
        "shell",
        "showmigrations",
        "sqlmigrate",
        "squashmigrations",
        "startapp",
        "startproject",
        "version",
    }
)


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "readiness.settings")
    try:
        django.setup()
    except ImproperlyConfigured as error:
        sys.exit(str(error))
    argv = ["readiness", *sys.argv[1:]]
    from readiness.core.commands import language_asked  # needs the apps loaded

    with translation.override(language_asked(argv)):
        run(argv)


def run(argv: list[str]) -> None:
    command = argv[1] if len(argv) > 1 else "help"
    asking_for_help = {"-h", "--help"} & set(argv)
    if command == "migrate":
        make_sqlite_folder()
    elif command in get_commands() and command not in WITHOUT_DATABASE and not asking_for_help:
        problem = database_problem()
        if problem:
            sys.exit(problem)
    if "--traceback" in argv:
        execute_from_command_line(argv)
        return
    try:
        execute_from_command_line(argv)
    except (ServiceError, OSError) as error:
        sys.exit(str(error))
    except DatabaseError as error:
        sys.exit(
            _("database error: %(error)s (if the database is out of date, run: readiness migrate)")
            % {"error": str(error).strip()}
        )


def sqlite_file() -> Path | None:
    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.sqlite3" or str(database["NAME"]) == ":memory:":
        return None
    return Path(database["NAME"])


def make_sqlite_folder() -> None:
    """`readiness migrate` creates the database, the folder of its file too."""
    path = sqlite_file()
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)


def database_problem() -> str:
    """What to run when the database does not exist or has no tables yet;
    empty when it is ready. Looking does not create the SQLite file."""
    advice = _("run: readiness migrate (or scripts/start, which also loads the demo)")
    path = sqlite_file()
    if path is not None and not path.exists():
        return _("there is no database at %(path)s yet; %(advice)s") % {
            "path": path,
            "advice": advice,
        }
    try:
        tables = connection.introspection.table_names()
    except DatabaseError as error:
        return _("cannot open the database (%(error)s); %(advice)s") % {
            "error": str(error).strip(),
            "advice": advice,
        }
    if "django_migrations" not in tables:
        return _("the database has no tables yet; %(advice)s") % {"advice": advice}
    return ""
