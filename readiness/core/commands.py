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
from django.utils.translation import gettext_lazy
from django_stubs_ext import StrOrPromise

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
# Where `--lang` is not given: this variable, else the site's LANGUAGE_CODE.
LANGUAGE_VARIABLE = "READINESS_LANGUAGE"
# The options Django gives every command, whose help Django does not translate.
DJANGO_OPTION_HELP = {
    "--version": gettext_lazy("Show program's version number and exit."),
    "--verbosity": gettext_lazy(
        "Verbosity level; 0=minimal output, 1=normal output, 2=verbose output, "
        "3=very verbose output"
    ),
    "--settings": gettext_lazy(
        'The Python path to a settings module, e.g. "myproject.settings.main". If this '
        "isn't provided, the DJANGO_SETTINGS_MODULE environment variable will be used."
    ),
    "--pythonpath": gettext_lazy(
        'A directory to add to the Python path, e.g. "/home/djangoprojects/myproject".'
    ),
    "--traceback": gettext_lazy("Display a full stack trace on CommandError exceptions."),
    "--no-color": gettext_lazy("Don't colorize the command output."),
    "--force-color": gettext_lazy("Force colorization of the command output."),
    "--skip-checks": gettext_lazy("Skip system checks."),
}


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
    """A command whose messages and --help are in the language of `--lang`. The
    option is taken before or after a subcommand (`plan --lang vi show …` and
    `plan show … --lang vi`)."""

    # A lazy translation: the class is made before any language is chosen.
    help: StrOrPromise = ""  # type: ignore[assignment]

    def run_from_argv(self, argv: list[str]) -> None:
        # argparse prints --help while parsing, before execute() chooses the
        # language; an unknown --lang falls back here and is refused by the parser.
        with translation.override(language_asked(argv)):
            super().run_from_argv(argv)

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        add_language_argument(parser, default_language())
        # `help` is a lazy translation, and argparse rewraps a description with
        # `re`, which takes text only: the text in the language chosen.
        parser.description = parser.description and str(parser.description)
        for action in parser._actions:
            for option in action.option_strings:
                if option in DJANGO_OPTION_HELP and action.help != argparse.SUPPRESS:
                    action.help = str(DJANGO_OPTION_HELP[option])
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                helps = {choice.dest: choice.help for choice in action._choices_actions}
                for name, subparser in action.choices.items():
                    # SUPPRESS: a subcommand without --lang keeps the value given before it.
                    add_language_argument(subparser, argparse.SUPPRESS)
                    subparser.description = subparser.description or helps.get(name)
        return parser

    def execute(self, *args: Any, **options: Any) -> Any:
        with translation.override(options.get("lang") or default_language()):
            return super().execute(*args, **options)


def add_language_argument(parser: ArgumentParser, default: str) -> None:
    parser.add_argument(
        "--lang",
        choices=LANGUAGE_CODES,
        default=default,
        help=_(
            "language of the messages and of this help (default: ${variable}, else {site})"
        ).format(variable=LANGUAGE_VARIABLE, site=settings.LANGUAGE_CODE),
    )


def add_actor_argument(parser: ArgumentParser) -> None:
    parser.add_argument(
        "--as",
        dest="actor",
        help=_("act as this user (their role applies); default: the system, which may do all"),
    )


def actor_named(username: str | None) -> User | None:
    """The user named by `--as`, or None: the system itself."""
    if not username:
        return None
    user = User.objects.filter(username=username).first()
    if user is None:
        raise CommandError(_("no user %(username)s") % {"username": username})
    return user
