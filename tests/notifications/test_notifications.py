"""Who is told what, in the application and by email: review requested,
changes requested, mentions, assignments and overdue actions, with the
personas of the demo assessment; the reader's language and choices; the
list through the web, the API and the command line."""

import datetime
import io
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.management import call_command
from django.test import Client

from readiness.actionplans.models import Action
from readiness.assessments import services as assessment_services
from readiness.assessments.models import Assessment, Membership
from readiness.assessments.permissions import Role, State
from readiness.notifications import services
from readiness.notifications.models import Kind, Notification, Preferences
from readiness.reviews import services as reviews
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(demo, lead, assessor, reviewer, counterpart, outsider) -> dict[str, User]:  # type: ignore[no-untyped-def]
    people = {
        "lead": lead,
        "assessor": assessor,
        "reviewer": reviewer,
        "counterpart": counterpart,
        "outsider": outsider,
    }
    for name, user in people.items():
        user.email = f"{name}@example.org"
        user.save()
    return people


def told(user: User) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def mailed_to(address: str) -> list[Any]:
    return [m for m in mail.outbox if m.to == [address]]


@pytest.fixture
def committed(django_capture_on_commit_callbacks) -> Callable[..., Any]:  # type: ignore[no-untyped-def]
    """Run `action` and the email it leaves for after its commit."""

    def run(action: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args, **kwargs)

    return run


# --- the workflow ----------------------------------------------------------------


def test_asking_for_a_review_tells_the_reviewers_and_nobody_else(demo, team, committed) -> None:  # type: ignore[no-untyped-def]
    committed(reviews.move_to, actor=team["lead"], assessment=demo, target=State.IN_REVIEW)
    assert told(team["reviewer"]) == ["review_requested"]
    for name in ("lead", "assessor", "counterpart", "outsider"):
        assert told(team[name]) == [], name
    [email] = mail.outbox
    assert email.to == ["reviewer@example.org"]
    assert email.subject == f"Readiness: Your review of “{demo.title}” is requested."
    assert "http://127.0.0.1:8000/assessments/vietnam-2019/" in email.body


def test_requesting_changes_tells_the_lead_and_the_assessors_not_the_reviewer(  # type: ignore[no-untyped-def]
    demo, team, committed
) -> None:
    reviews.move_to(actor=None, assessment=demo, target=State.IN_REVIEW)
    Notification.objects.all().delete()
    committed(
        reviews.move_to,
        actor=team["reviewer"],
        assessment=demo,
        target=State.CHANGES_REQUESTED,
    )
    assert told(team["lead"]) == ["changes_requested"]
    assert told(team["assessor"]) == ["changes_requested"]
    for name in ("reviewer", "counterpart", "outsider"):
        assert told(team[name]) == [], name
    assert sorted(m.to[0] for m in mail.outbox) == ["assessor@example.org", "lead@example.org"]


def test_approving_tells_nobody(demo, team) -> None:  # type: ignore[no-untyped-def]
    reviews.move_to(actor=None, assessment=demo, target=State.IN_REVIEW)
    before = Notification.objects.count()
    reviews.move_to(actor=team["reviewer"], assessment=demo, target=State.APPROVED)
    assert Notification.objects.count() == before


def test_the_email_is_in_the_recipients_language_whatever_the_actors(  # type: ignore[no-untyped-def]
    demo, team, committed
) -> None:
    Preferences.objects.create(user=team["reviewer"], language="vi")
    committed(reviews.move_to, actor=team["lead"], assessment=demo, target=State.IN_REVIEW)
    [email] = mail.outbox
    assert email.subject == f"Readiness: Bạn được đề nghị rà soát “{demo.title}”."
    assert "Chọn những thông báo được gửi qua email: " in email.body


def test_a_kind_turned_off_for_email_is_still_told_in_the_application(  # type: ignore[no-untyped-def]
    demo, team, committed
) -> None:
    Preferences.objects.create(user=team["reviewer"], email_kinds=["mentioned"])
    committed(reviews.move_to, actor=team["lead"], assessment=demo, target=State.IN_REVIEW)
    assert told(team["reviewer"]) == ["review_requested"]
    assert mail.outbox == []


def test_nobody_without_an_email_address_is_mailed(demo, team, committed) -> None:  # type: ignore[no-untyped-def]
    team["reviewer"].email = ""
    team["reviewer"].save()
    committed(reviews.move_to, actor=team["lead"], assessment=demo, target=State.IN_REVIEW)
    assert told(team["reviewer"]) == ["review_requested"]
    assert mail.outbox == []


def test_the_email_waits_for_the_commit(demo, team, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks() as callbacks:
        reviews.move_to(actor=team["lead"], assessment=demo, target=State.IN_REVIEW)
    assert len(callbacks) == 1
    assert mail.outbox == []


# --- mentions --------------------------------------------------------------------


def test_a_mention_tells_the_member_named_not_the_author_nor_an_outsider(  # type: ignore[no-untyped-def]
    demo, team, committed
) -> None:
    comment = committed(
        reviews.add_comment,
        actor=team["assessor"],
        assessment=demo,
        text="@reviewer, see this; @outsider and @assessor too. Mail me@example.org.",
    )
    assert told(team["reviewer"]) == ["mentioned"]
    for name in ("assessor", "outsider", "lead", "counterpart"):
        assert told(team[name]) == [], name
    notice = Notification.objects.get(recipient=team["reviewer"])
    assert notice.about == {"comment": comment.pk}
    assert services.text_of(notice) == f"A comment on “{demo.title}” mentions you."
    assert [m.to for m in mail.outbox] == [["reviewer@example.org"]]


def test_a_name_at_the_end_of_a_sentence_is_a_mention(demo, team) -> None:  # type: ignore[no-untyped-def]
    reviews.add_comment(actor=team["lead"], assessment=demo, text="Over to @counterpart.")
    assert told(team["counterpart"]) == ["mentioned"]


def test_a_thousand_mentions_tell_at_most_twenty_people_in_a_bounded_number_of_queries(  # type: ignore[no-untyped-def]
    demo, team, django_assert_max_num_queries
) -> None:
    # 25 real members, mentioned after a thousand names nobody has.
    members = []
    for i in range(25):
        user = User.objects.create_user(username=f"member{i:02}")
        Membership.objects.create(assessment=demo, user=user, role=Role.ASSESSOR)
        members.append(user)
    text = (
        " ".join(f"@ghost{i}" for i in range(1000))
        + " "
        + " ".join(f"@{u.username}" for u in members)
    )
    with django_assert_max_num_queries(10):  # a plain comment takes 5
        reviews.add_comment(actor=team["lead"], assessment=demo, text=text)
    assert Notification.objects.filter(kind=Kind.MENTIONED).count() == 0  # only ghosts counted

    first_members = " ".join(f"@{u.username}" for u in members)
    reviews.add_comment(actor=team["lead"], assessment=demo, text=first_members)
    assert Notification.objects.filter(kind=Kind.MENTIONED).count() == 20
    assert told(members[19]) == ["mentioned"]
    assert told(members[20]) == []


# --- assignments -----------------------------------------------------------------


def test_assigning_a_question_tells_the_assignee_not_the_lead(demo, team, committed) -> None:  # type: ignore[no-untyped-def]
    committed(
        assessment_services.assign,
        actor=team["lead"],
        assessment=demo,
        username="assessor",
        framework_key="dgra",
        question_key="1.1",
    )
    [notice] = Notification.objects.filter(recipient=team["assessor"])
    assert services.text_of(notice) == f"Question 1.1 of “{demo.title}” is assigned to you."
    assert services.link_of(notice) == "/assessments/vietnam-2019/my-questions/"
    assert told(team["lead"]) == []
    assert [m.to for m in mail.outbox] == [["assessor@example.org"]]


def test_assigning_a_dimension_says_so_and_assigning_again_tells_nobody_again(  # type: ignore[no-untyped-def]
    demo, team
) -> None:
    for _ in range(2):
        assessment_services.assign(
            actor=team["lead"],
            assessment=demo,
            username="assessor",
            framework_key="dgra",
            dimension_key="2",
        )
    [notice] = Notification.objects.filter(recipient=team["assessor"])
    assert services.text_of(notice) == f"Dimension 2 of “{demo.title}” is assigned to you."


# --- overdue actions -------------------------------------------------------------


@pytest.fixture
def one_overdue_action(demo: Assessment) -> Action:
    """Of the demo's plan (started January 2020), only dgra-lg-2 is open,
    planned for months 1–2: overdue from April 2020 on."""
    demo.plan_start = datetime.date(2020, 1, 1)
    demo.save(update_fields=["plan_start"])
    demo.actions.update(status=Action.Status.DONE)
    action = demo.actions.get(key="dgra-lg-2")
    action.status = Action.Status.IN_PROGRESS
    action.start_month, action.duration_months = 1, 2
    action.save()
    return action


def test_an_overdue_action_tells_the_counterparts_once_a_day(  # type: ignore[no-untyped-def]
    demo, team, one_overdue_action, committed
) -> None:
    day = datetime.date(2020, 4, 15)
    # The demo has two counterparts: the persona and demo-counterpart (no email address).
    assert committed(services.send_overdue, day) == 2
    assert committed(services.send_overdue, day) == 0
    assert told(team["counterpart"]) == ["overdue"]
    assert told(User.objects.get(username="demo-counterpart")) == ["overdue"]
    for name in ("lead", "assessor", "reviewer", "outsider"):
        assert told(team[name]) == [], name
    [email] = mail.outbox
    assert email.to == ["counterpart@example.org"]
    assert email.subject == f"Readiness: Action dgra-lg-2 of “{demo.title}” is overdue."
    assert "/assessments/vietnam-2019/plan/" in email.body
    assert committed(services.send_overdue, day + datetime.timedelta(days=1)) == 2
    assert len(mail.outbox) == 2


def test_an_action_within_its_months_or_done_is_not_overdue(  # type: ignore[no-untyped-def]
    demo, team, one_overdue_action
) -> None:
    assert services.send_overdue(datetime.date(2020, 2, 28)) == 0
    one_overdue_action.status = Action.Status.DONE
    one_overdue_action.save()
    assert services.send_overdue(datetime.date(2020, 4, 15)) == 0


def test_an_archived_assessment_tells_nobody_of_overdue_actions(  # type: ignore[no-untyped-def]
    demo, team, one_overdue_action
) -> None:
    Assessment.objects.filter(pk=demo.pk).update(state=State.ARCHIVED)
    assert services.send_overdue(datetime.date(2020, 4, 15)) == 0


def test_the_daily_command_runs_twice_without_telling_twice(demo, team, one_overdue_action) -> None:  # type: ignore[no-untyped-def]
    outputs = []
    for _ in range(2):
        out = io.StringIO()
        call_command("notifications", "send-overdue", "--today", "2020-04-15", stdout=out)
        outputs.append(out.getvalue().strip())
    assert outputs == [
        "2 overdue notifications on 2020-04-15",
        "0 overdue notifications on 2020-04-15",
    ]


# --- reading: web, API, CLI ------------------------------------------------------


def tell(user: User, demo: Assessment, count: int) -> list[Notification]:
    return [
        services.notify(
            kind=Kind.ASSIGNED,
            recipients=[user],
            assessment=demo,
            actor=None,
            about={"question": f"1.{i + 1}"},
        )[0]
        for i in range(count)
    ]


def test_the_header_shows_the_unread_count_with_words(demo, team) -> None:  # type: ignore[no-untyped-def]
    tell(team["assessor"], demo, 2)
    page = client_for(team["assessor"]).get("/frameworks/").content.decode()
    assert (
        'Notifications <span class="count">2<span class="visually-hidden"> unread</span></span>'
        in page
    )
    quiet = client_for(team["lead"]).get("/frameworks/").content.decode()
    assert 'href="/notifications/">Notifications</a>' in quiet


def test_the_web_list_marks_one_and_then_all_read(demo, team) -> None:  # type: ignore[no-untyped-def]
    first, _second, _third = tell(team["assessor"], demo, 3)
    client = client_for(team["assessor"])
    page = client.get("/notifications/").content.decode()
    assert "3 unread notifications." in page
    assert f"Question 1.3 of “{demo.title}” is assigned to you." in page
    assert client.post(f"/notifications/{first.pk}/read/").status_code == 302
    assert services.unread_count(team["assessor"]) == 2
    unread_page = client.get("/notifications/?unread=true").content.decode()
    assert "Question 1.1 of" not in unread_page
    client.post("/notifications/read/")
    assert services.unread_count(team["assessor"]) == 0


def test_nobody_marks_someone_elses_notification(demo, team) -> None:  # type: ignore[no-untyped-def]
    [theirs] = tell(team["assessor"], demo, 1)
    response = client_for(team["outsider"]).post(f"/notifications/{theirs.pk}/read/")
    assert response.status_code == 404
    api = client_for(team["outsider"]).post(f"/api/v1/notifications/{theirs.pk}/read")
    assert api.status_code == 404
    assert services.unread_count(team["assessor"]) == 1


def test_the_list_is_in_the_readers_language(demo, team) -> None:  # type: ignore[no-untyped-def]
    tell(team["assessor"], demo, 1)
    client = client_for(team["assessor"])
    client.cookies["django_language"] = "vi"
    page = client.get("/notifications/").content.decode()
    assert f"Bạn được phân công câu hỏi 1.1 của “{demo.title}”." in page
    assert "1 thông báo chưa đọc." in page


def test_the_api_pages_the_list_newest_first(demo, team) -> None:  # type: ignore[no-untyped-def]
    made = tell(team["assessor"], demo, 3)
    client = client_for(team["assessor"])
    first = client.get("/api/v1/notifications?limit=2").json()
    assert first["count"] == 3
    assert [n["id"] for n in first["results"]] == [made[2].pk, made[1].pk]
    assert first["results"][0] == {
        "id": made[2].pk,
        "kind": "assigned",
        "text": f"Question 1.3 of “{demo.title}” is assigned to you.",
        "assessment": "vietnam-2019",
        "link": "/assessments/vietnam-2019/my-questions/",
        "actor": None,
        "created_at": first["results"][0]["created_at"],
        "read_at": None,
    }
    second = client.get(first["next"]).json()
    assert [n["id"] for n in second["results"]] == [made[0].pk]
    assert second["next"] is None


def test_the_api_marks_read_and_counts_the_unread(demo, team) -> None:  # type: ignore[no-untyped-def]
    made = tell(team["assessor"], demo, 3)
    client = client_for(team["assessor"])
    read = client.post(f"/api/v1/notifications/{made[0].pk}/read").json()
    assert read["read_at"] is not None
    assert client.get("/api/v1/notifications?unread=true").json()["count"] == 2
    assert client.post("/api/v1/notifications/read").json() == {"marked": 2}
    assert client.get("/api/v1/notifications?unread=true").json()["count"] == 0


def test_a_cursor_from_elsewhere_is_refused_by_name(demo, team) -> None:  # type: ignore[no-untyped-def]
    response = client_for(team["assessor"]).get("/api/v1/notifications?cursor=bm9wZQ")
    assert response.status_code == 422
    assert response.json()["errors"][0]["path"] == "cursor"


# --- preferences -----------------------------------------------------------------


def put(client: Client, body: dict[str, Any]) -> Any:
    return client.put(
        "/api/v1/notifications/preferences", json.dumps(body), content_type="application/json"
    )


def test_preferences_through_the_api_with_a_stale_version_refused(demo, team) -> None:  # type: ignore[no-untyped-def]
    client = client_for(team["reviewer"])
    shown = client.get("/api/v1/notifications/preferences").json()
    assert shown == {
        "language": "en",
        "email_kinds": sorted(
            ["assigned", "changes_requested", "mentioned", "overdue", "review_requested"]
        ),
        "version": 1,
    }
    saved = put(client, {"language": "vi", "email_kinds": ["mentioned"], "version": 1})
    assert saved.status_code == 200
    assert saved.json() == {"language": "vi", "email_kinds": ["mentioned"], "version": 2}
    stale = put(client, {"email_kinds": [], "version": 1})
    assert stale.status_code == 409
    assert stale.json()["current"]["email_kinds"] == ["mentioned"]
    unknown = put(client, {"email_kinds": ["everything"], "version": 2})
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["path"] == "email_kinds[0]"


def test_preferences_on_the_web_page(demo, team) -> None:  # type: ignore[no-untyped-def]
    client = client_for(team["counterpart"])
    assert "Notification preferences" in client.get("/notifications/preferences/").content.decode()
    response = client.post(
        "/notifications/preferences/",
        {"version": "1", "language": "vi", "email_kinds": ["overdue"]},
    )
    assert response.status_code == 302
    chosen = Preferences.objects.get(user=team["counterpart"])
    assert (chosen.language, chosen.email_kinds, chosen.version) == ("vi", ["overdue"], 2)
    stale = client.post("/notifications/preferences/", {"version": "1", "language": "en"})
    assert stale.status_code == 409
    assert Preferences.objects.get(user=team["counterpart"]).language == "vi"
    hostile = client.post("/notifications/preferences/", {"version": "x" * 5000, "language": "en"})
    assert hostile.status_code == 422


def test_the_command_line_lists_reads_and_chooses(demo, team) -> None:  # type: ignore[no-untyped-def]
    made = tell(team["lead"], demo, 2)

    def run(*args: str) -> str:
        out = io.StringIO()
        call_command("notifications", *args, stdout=out)
        return out.getvalue()

    listed = run("--as", "lead", "list").splitlines()
    assert listed[0].startswith(f"{made[1].pk}\tunread\t")
    assert listed[0].endswith(f"Question 1.2 of “{demo.title}” is assigned to you.")
    assert listed[-1] == "2 of 2"
    assert run("--as", "lead", "read", str(made[0].pk)).strip() == "1 marked read"
    assert run("--as", "lead", "list", "--unread").splitlines()[-1] == "1 of 1"
    assert run("--as", "lead", "read", "--all").strip() == "1 marked read"
    assert run(
        "--as", "lead", "preferences", "--language", "vi", "--email", "none"
    ).splitlines() == [
        "language\tvi",
        "email\tnone",
        "version\t2",
    ]
