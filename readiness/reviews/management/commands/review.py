from argparse import ArgumentParser
from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from readiness.assessments import services as assessment_services
from readiness.assessments.permissions import State
from readiness.core.commands import ReadinessCommand, actor_named, add_actor_argument
from readiness.core.errors import ServiceError
from readiness.reviews import services


class Command(ReadinessCommand):
    help = gettext_lazy("Team, workflow and comments of an assessment.")

    def add_arguments(self, parser: ArgumentParser) -> None:
        add_actor_argument(parser)
        actions = parser.add_subparsers(dest="action", required=True)
        team = actions.add_parser("team", help=_("list the team, or set/remove a member"))
        team.add_argument("slug")
        team.add_argument("--set", nargs=2, metavar=("USERNAME", "ROLE"))
        team.add_argument("--remove", metavar="USERNAME")
        team.add_argument(
            "--based-on",
            type=int,
            metavar="VERSION",
            help=_("the member's version shown (0: not on the team); a stale one is refused"),
        )
        move = actions.add_parser(
            "move",
            help=_("move the workflow: {states}").format(states=", ".join(State.values)),
        )
        move.add_argument("slug")
        move.add_argument("state", choices=State.values)
        move.add_argument(
            "--gaps-reason",
            default="",
            help=_("publish although required checklist items are open, and say why"),
        )
        ready = actions.add_parser("readiness", help=_("what is missing before publishing"))
        ready.add_argument("slug")
        comments = actions.add_parser("comments", help=_("list the comment threads"))
        comments.add_argument("slug")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = actor_named(options["actor"])
        try:
            self.run(actor, options)
        except ServiceError as error:
            raise CommandError(str(error)) from None

    def run(self, actor: User | None, options: dict[str, Any]) -> None:
        assessment = assessment_services.get_assessment(actor, options["slug"])
        action = options["action"]
        if action == "team":
            if options["set"]:
                username, role = options["set"]
                assessment_services.set_member(
                    actor=actor,
                    assessment=assessment,
                    username=username,
                    role=role,
                    expected_version=options["based_on"],
                )
            if options["remove"]:
                assessment_services.remove_member(
                    actor=actor,
                    assessment=assessment,
                    username=options["remove"],
                    expected_version=options["based_on"],
                )
            for membership in assessment.memberships.select_related("user"):
                name, role, version = (
                    membership.user.get_username(),
                    membership.role,
                    membership.version,
                )
                shown = _("version %(version)s") % {"version": version}
                self.stdout.write(f"{name}\t{role}\t{shown}")
        elif action == "move":
            moved = services.move_to(
                actor=actor,
                assessment=assessment,
                target=options["state"],
                gaps_reason=options["gaps_reason"],
            )
            self.stdout.write(
                _("%(slug)s is now %(label)s (%(state)s)")
                % {"slug": moved.slug, "label": State(moved.state).label, "state": moved.state}
            )
        elif action == "readiness":
            found = services.readiness_of(actor, assessment)
            verdict = _("ready: %(coverage)s") if found.ready else _("not ready: %(coverage)s")
            self.stdout.write(verdict % {"coverage": found.coverage})
            for item in found.items:
                if item.is_open:
                    kind = _("required") if item.required else _("advice")
                    self.stdout.write(f"{kind}\t{item.label}\t{', '.join(item.keys)}")
        else:
            for comment in assessment.comments.select_related("author", "question", "dimension"):
                target = comment.question or comment.dimension or _("assessment")
                status = _("resolved") if comment.resolved_at else _("open")
                author = comment.author.get_username() if comment.author else _("system")
                thread = (
                    _("reply to %(id)s") % {"id": comment.parent_id}
                    if comment.parent_id
                    else status
                )
                self.stdout.write(f"{comment.pk}\t{thread}\t{target}\t{author}\t{comment.text}")
