import datetime
from argparse import ArgumentParser
from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import CommandError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from readiness.core.commands import ReadinessCommand, actor_named, add_actor_argument
from readiness.core.errors import ServiceError
from readiness.core.filtering import PageQuery, read_query
from readiness.notifications import services
from readiness.notifications.models import Kind
from readiness.notifications.selectors import NotificationFilters, notification_page


class Command(ReadinessCommand):
    help = gettext_lazy("A person's notifications and preferences; the daily overdue job.")

    def add_arguments(self, parser: ArgumentParser) -> None:
        add_actor_argument(parser)
        actions = parser.add_subparsers(dest="action", required=True)
        listing = actions.add_parser("list", help=_("my notifications, newest first (--as USER)"))
        listing.add_argument("--unread", action="store_true", help=_("only the unread"))
        listing.add_argument("--limit", default="50")
        listing.add_argument("--cursor")
        read = actions.add_parser("read", help=_("mark notifications read (--as USER)"))
        read.add_argument("ids", nargs="*", type=int, metavar="ID")
        read.add_argument("--all", action="store_true", help=_("all of them"))
        preferences = actions.add_parser(
            "preferences", help=_("show or change my preferences (--as USER)")
        )
        preferences.add_argument("--language")
        preferences.add_argument(
            "--email",
            metavar="KINDS",
            help=_("comma-separated kinds to come by email ({kinds}) or none").format(
                kinds=", ".join(Kind.values)
            ),
        )
        preferences.add_argument("--based-on", type=int, metavar="VERSION")
        overdue = actions.add_parser(
            "send-overdue",
            help=_("tell the owners of overdue actions (daily, from cron)"),
        )
        overdue.add_argument("--today", type=datetime.date.fromisoformat, metavar="YYYY-MM-DD")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            self.run(options)
        except ServiceError as error:
            raise CommandError(str(error)) from None

    def run(self, options: dict[str, Any]) -> None:
        action = options["action"]
        if action == "send-overdue":
            today = options["today"] or timezone.localdate()
            made = services.send_overdue(today)
            self.stdout.write(
                _("%(count)s overdue notifications on %(day)s")
                % {"count": made, "day": today.isoformat()}
            )
            return
        user = actor_named(options["actor"])
        if user is None:
            raise CommandError(_("say whose notifications: --as USER"))
        if action == "list":
            self.list(user, options)
        elif action == "read":
            self.read(user, options)
        else:
            self.preferences(user, options)

    def list(self, user: User, options: dict[str, Any]) -> None:
        filters = NotificationFilters(unread=True if options["unread"] else None)
        page = notification_page(
            user,
            filters,
            read_query(PageQuery, {"limit": options["limit"], "cursor": options["cursor"]}),
        )
        for notification in page.items:
            state = _("read") if notification.read_at else _("unread")
            when = notification.created_at.isoformat(timespec="seconds")
            text = services.text_of(notification)
            self.stdout.write(f"{notification.pk}\t{state}\t{when}\t{text}")
        self.stdout.write(
            _("%(shown)s of %(count)s") % {"shown": len(page.items), "count": page.count}
        )
        if page.next_cursor:
            self.stdout.write(_("next page: --cursor %(cursor)s") % {"cursor": page.next_cursor})

    def read(self, user: User, options: dict[str, Any]) -> None:
        if options["all"]:
            marked = services.mark_all_read(user)
            self.stdout.write(_("%(count)s marked read") % {"count": marked})
            return
        if not options["ids"]:
            raise CommandError(_("give notification IDs or --all"))
        for notification_id in options["ids"]:
            services.mark_read(user, notification_id)
        self.stdout.write(_("%(count)s marked read") % {"count": len(options["ids"])})

    def preferences(self, user: User, options: dict[str, Any]) -> None:
        chosen = services.preferences_of(user)
        email = options["email"]
        if options["language"] is not None or email is not None:
            kinds = None
            if email is not None:
                kinds = [] if email.strip() == "none" else [k.strip() for k in email.split(",")]
            chosen = services.set_preferences(
                user,
                language=options["language"],
                email_kinds=kinds,
                expected_version=options["based_on"] or chosen.version,
            )
        snapshot = services.preferences_snapshot(chosen)
        self.stdout.write(f"language\t{snapshot['language']}")
        self.stdout.write("email\t" + (", ".join(snapshot["email_kinds"]) or _("none")))
        self.stdout.write(f"version\t{snapshot['version']}")
