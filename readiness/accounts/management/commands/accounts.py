from argparse import ArgumentParser
from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from readiness.accounts import services
from readiness.accounts.models import ApiToken
from readiness.core.commands import ReadinessCommand
from readiness.core.errors import InvalidInput, NotFound


class Command(ReadinessCommand):
    help = gettext_lazy(
        "User accounts for the embedded setup: create users, reset passwords, lift login "
        "limits, API tokens."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create-user", help=_("create a user; prints the password"))
        create.add_argument("username")
        create.add_argument("--email", default="")
        create.add_argument("--admin", action="store_true", help=_("site administrator"))
        reset = actions.add_parser("reset-password", help=_("set and print a new password"))
        reset.add_argument("username")
        unlock = actions.add_parser(
            "unlock", help=_("forget the failed logins of a user (lifts their limits)")
        )
        unlock.add_argument("username")
        token = actions.add_parser("token", help=_("API tokens"))
        token.add_argument("verb", choices=["create", "list", "revoke"])
        token.add_argument("username")
        token.add_argument("name_or_id", nargs="?", help=_("token name (create) or id (revoke)"))

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            self.run(options)
        except (InvalidInput, NotFound) as error:
            raise CommandError(str(error)) from None

    def run(self, options: dict[str, Any]) -> None:
        action = options["action"]
        if action == "create-user":
            if User.objects.filter(username=options["username"]).exists():
                raise CommandError(
                    _("user %(username)s exists already") % {"username": options["username"]}
                )
            User.objects.create_user(
                username=options["username"],
                email=options["email"],
                is_staff=options["admin"],
                is_superuser=options["admin"],
            )
            password = services.reset_password(options["username"])
            self.stdout.write(
                _("created %(username)s, password: %(password)s")
                % {"username": options["username"], "password": password}
            )
        elif action == "reset-password":
            password = services.reset_password(options["username"])
            self.stdout.write(
                _("new password for %(username)s: %(password)s")
                % {"username": options["username"], "password": password}
            )
        elif action == "unlock":
            services.clear_login_failures(options["username"])
            self.stdout.write(
                _("failed logins of %(username)s forgotten") % {"username": options["username"]}
            )
        else:
            user = User.objects.filter(username=options["username"]).first()
            if user is None:
                raise CommandError(_("no user %(username)s") % {"username": options["username"]})
            if options["verb"] == "create":
                _token, secret = services.create_token(user, options["name_or_id"] or "")
                self.stdout.write(secret)
            elif options["verb"] == "list":
                for token in ApiToken.objects.filter(user=user):
                    state = _("revoked") if token.revoked_at else _("active")
                    self.stdout.write(f"{token.pk}\t{token.prefix}…\t{token.name}\t{state}")
            else:
                token_id = options["name_or_id"] or ""
                if not token_id.isdigit():
                    raise CommandError(_("give the id of the token to revoke"))
                services.revoke_token(user, int(token_id))
                self.stdout.write(_("revoked token %(id)s") % {"id": token_id})
