"""What the management commands share: acting as a user (`--as USER`)."""

from argparse import ArgumentParser

from django.contrib.auth.models import User
from django.core.management.base import CommandError


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
        raise CommandError(f"no user {username}")
    return user
