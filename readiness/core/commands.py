"""What the management commands share: the language of their messages
(`--lang en|vi`, on every command) and acting as a user (`--as USER`)."""

import argparse
import os
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
# Where `--lang` is not given: this variable, else the site's LANGUAGE_CODE.
LANGUAGE_VARIABLE = "READINESS_LANGUAGE"


def default_language() -> str:
    chosen = os.environ.get(LANGUAGE_VARIABLE, "").strip().lower()
    return chosen if chosen in LANGUAGE_CODES else settings.LANGUAGE_CODE


def language_asked(argv: list[str]) -> str:
    """The language a command line asks for with `--lang X` or `--lang=X`, for
    what is said before the command parses its options (readiness.cli)."""
    for i, arg in enumerate(argv):
        value = argv[i + 1] if arg == "--lang" and i + 1 < len(argv) else ""
        if arg.startswith("--lang="):
            value = arg.removeprefix("--lang=")
        if value in LANGUAGE_CODES:
            return value
    return default_language()


class ReadinessCommand(BaseCommand):
    """A command whose messages are in the language of `--lang`. The option is
    taken before or after a subcommand (`plan --lang vi show …` and
    `plan show … --lang vi`)."""

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        add_language_argument(parser, default_language())
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for subparser in action.choices.values():
                    # SUPPRESS: a subcommand without --lang keeps the value given before it.
                    add_language_argument(subparser, argparse.SUPPRESS)
        return parser

    def execute(self, *args: Any, **options: Any) -> Any:
        with translation.override(options.get("lang") or default_language()):
            return super().execute(*args, **options)


def add_language_argument(parser: ArgumentParser, default: str) -> None:
    parser.add_argument(
        "--lang",
        choices=LANGUAGE_CODES,
        default=default,
        help=f"language of the messages (default: ${LANGUAGE_VARIABLE}, else "
        f"{settings.LANGUAGE_CODE})",
    )


def add_actor_argument(parser: ArgumentParser) -> None:
    parser.add_argument(
        "--as",
        dest="actor",
        help="act as this user (their role applies); default: the system, which may do all",
    )


def actor_named(username: str | None) -> User | None:
    """The user named by `--as`, or None: the system itself."""
    if not username:
        return None
    user = User.objects.filter(username=username).first()
    if user is None:
        raise CommandError(_("no user %(username)s") % {"username": username})
    return user
