"""Publish only what is ready: the readiness checklist, the refusal to publish
while required items are open, and publishing "with gaps" with a reason that
the public page, the API and the report then show with the coverage."""

import json

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import translation

from readiness.assessments import services as assessment_services
from readiness.assessments.models import Assessment, DimensionVerdict, QuestionRating
from readiness.assessments.permissions import Role, State
from readiness.core.errors import InvalidInput
from readiness.frameworks.models import Question
from readiness.reports import services as reports
from readiness.reviews import services
from readiness.reviews.checklist import checklist
from readiness.reviews.models import Publication
from tests.conftest import client_for, persona

pytestmark = pytest.mark.django_db
API = "/api/v1/assessments/vietnam-2019"
# The demo rates every question of its two frameworks: DGRA's 66 and ODRA's 43.
QUESTIONS = 109


@pytest.fixture(autouse=True)
def restore_language():  # type: ignore[no-untyped-def]
    """A request in Vietnamese leaves Vietnamese active in the test's thread."""
    language = translation.get_language()
    yield
    translation.activate(language)


def unrate(demo: Assessment, *keys: str) -> None:
    QuestionRating.objects.filter(
        assessment=demo, question__framework__key="dgra", question__key__in=keys
    ).delete()


def approve(demo: Assessment, lead: User, reviewer: User) -> Assessment:
    demo = services.move_to(actor=lead, assessment=demo, target=State.IN_REVIEW)
    return services.move_to(actor=reviewer, assessment=demo, target=State.APPROVED)


def open_items(demo: Assessment) -> dict[str, list[str]]:
    return {item.code: item.keys for item in checklist(demo).items if item.is_open}


def test_the_complete_demo_is_ready_and_publishes_without_a_reason(demo, lead, reviewer) -> None:  # type: ignore[no-untyped-def]
    found = checklist(demo)
    assert found.ready
    assert found.coverage == "109 of 109 questions rated"
    demo = services.move_to(
        actor=lead, assessment=approve(demo, lead, reviewer), target=State.PUBLISHED
    )
    publication = Publication.objects.get(assessment=demo)
    assert publication.gaps_reason == ""
    assert publication.readiness == {"questions": QUESTIONS, "rated": QUESTIONS, "open": {}}


def test_unrated_questions_block_publishing_without_a_reason_and_nothing_changes(
    demo, lead, reviewer
) -> None:  # type: ignore[no-untyped-def]
    unrate(demo, "1.1", "1.2")
    demo = approve(demo, lead, reviewer)
    with pytest.raises(InvalidInput) as refused:
        services.move_to(actor=lead, assessment=demo, target=State.PUBLISHED)
    assert refused.value.errors[0].path == "gaps_reason"
    assert "2 questions are not rated" in str(refused.value)
    assert Assessment.objects.get(pk=demo.pk).state == State.APPROVED
    assert not Publication.objects.filter(assessment=demo).exists()


def test_the_checklist_names_each_kind_of_gap(demo, lead, assessor) -> None:  # type: ignore[no-untyped-def]
    unrate(demo, "2.3")
    DimensionVerdict.objects.filter(
        assessment=demo, dimension__framework__key="odra", dimension__key="4"
    ).delete()
    thread = services.add_comment(actor=lead, assessment=demo, text="Check the law")
    uncited = QuestionRating.objects.get(
        assessment=demo, question__framework__key="dgra", question__key="1.1"
    )
    uncited.cited_evidence.clear()

    assert open_items(demo) == {
        "unrated_questions": ["dgra 2.3"],
        "dimensions_without_verdict": ["odra 4"],
        "open_comments": [f"#{thread.pk}"],
        "uncited_ratings": ["dgra 1.1"],
    }
    assert checklist(demo).coverage == "108 of 109 questions rated"
    services.set_thread_resolved(actor=lead, assessment=demo, thread_id=thread.pk, resolved=True)
    assert "open_comments" not in open_items(demo)


def test_a_rating_citing_no_evidence_is_advice_and_does_not_block(demo, lead, reviewer) -> None:  # type: ignore[no-untyped-def]
    QuestionRating.objects.get(
        assessment=demo, question__framework__key="dgra", question__key="1.1"
    ).cited_evidence.clear()
    found = checklist(demo)
    assert found.ready and [i.code for i in found.items if i.is_open] == ["uncited_ratings"]
    demo = services.move_to(
        actor=lead, assessment=approve(demo, lead, reviewer), target=State.PUBLISHED
    )
    assert Publication.objects.get(assessment=demo).readiness["open"] == {"uncited_ratings": 1}


def test_assessors_who_disagree_without_an_agreed_rating_block_publishing(demo, lead) -> None:  # type: ignore[no-untyped-def]
    first = persona("first", demo, Role.ASSESSOR)
    second = persona("second", demo, Role.ASSESSOR)
    assessment_services.set_rating_mode(
        actor=lead, assessment=demo, independent=True, reconciliation_open=False
    )
    question = Question.objects.get(framework__key="dgra", key="1.1")
    unrate(demo, "1.1")
    for assessor, level in ((first, "green"), (second, "red")):
        assessment_services.rate_question(
            actor=assessor,
            assessment=demo,
            question=question,
            level_code=level,
            expected_version=None,
        )
    assert open_items(demo)["unreconciled_disagreements"] == ["dgra 1.1"]
    assessment_services.set_rating_mode(
        actor=lead, assessment=demo, independent=True, reconciliation_open=True
    )
    assessment_services.record_agreed_rating(
        actor=lead, assessment=demo, question=question, level_code="yellow", expected_version=None
    )
    assert "unreconciled_disagreements" not in open_items(demo)


def test_publishing_with_gaps_keeps_the_reason_and_every_door_shows_it(
    demo, lead, reviewer
) -> None:  # type: ignore[no-untyped-def]
    unrate(demo, "1.1", "1.2", "1.3", "1.4")
    demo = services.move_to(
        actor=lead,
        assessment=approve(demo, lead, reviewer),
        target=State.PUBLISHED,
        gaps_reason="The ministry's data for dimension 1 arrives next year.",
    )
    publication = Publication.objects.get(assessment=demo)
    assert publication.gaps_reason == "The ministry's data for dimension 1 arrives next year."
    assert publication.readiness == {
        "questions": QUESTIONS,
        "rated": 105,
        "open": {"unrated_questions": 4},
    }

    page = Client().get("/published/vietnam-2019/").content.decode()
    assert "Published with gaps:" in page
    assert "105 of 109 questions rated; 4 questions are not rated" in page
    assert "arrives next year" in page

    public = Client().get("/api/v1/published/vietnam-2019").json()
    assert public["gaps_reason"] == "The ministry's data for dimension 1 arrives next year."
    assert public["coverage"] == "105 of 109 questions rated"
    assert public["gaps"] == ["4 questions are not rated"]

    _name, html = reports.render(None, demo, "html", "en")
    assert b"Published with gaps: 105 of 109 questions rated; 4 questions are not rated." in html
    _name, html_vi = reports.render(None, demo, "html", "vi")
    assert "105 trên 109 câu hỏi đã được đánh giá".encode() in html_vi


def test_a_reason_is_refused_when_nothing_required_is_missing(demo, lead, reviewer) -> None:  # type: ignore[no-untyped-def]
    demo = approve(demo, lead, reviewer)
    with pytest.raises(InvalidInput, match="publish without a reason"):
        services.move_to(
            actor=lead, assessment=demo, target=State.PUBLISHED, gaps_reason="Just in case"
        )
    assert not Publication.objects.filter(assessment=demo).exists()


def test_the_api_lists_the_checklist_for_the_team_only(demo, counterpart, outsider) -> None:  # type: ignore[no-untyped-def]
    unrate(demo, "3.2")
    body = client_for(counterpart).get(f"{API}/readiness").json()
    assert body["ready"] is False
    assert body["coverage"] == "108 of 109 questions rated"
    unrated = next(item for item in body["items"] if item["code"] == "unrated_questions")
    assert unrated == {
        "code": "unrated_questions",
        "required": True,
        "count": 1,
        "label": "1 question is not rated",
        "keys": ["dgra 3.2"],
    }
    assert client_for(outsider).get(f"{API}/readiness").status_code == 404


def test_the_api_publishes_with_gaps_only_with_a_reason(demo, lead, reviewer) -> None:  # type: ignore[no-untyped-def]
    unrate(demo, "1.1")
    approve(demo, lead, reviewer)
    client = client_for(lead)

    def publish(body: dict[str, str]) -> tuple[int, dict[str, object]]:
        response = client.post(f"{API}/workflow", json.dumps(body), content_type="application/json")
        return response.status_code, response.json()

    status, refused = publish({"state": "published"})
    assert status == 422 and refused["errors"][0]["path"] == "gaps_reason"
    status, hostile = publish({"state": "published", "gaps_reason": "bell\u0007"})
    assert status == 422 and hostile["errors"][0]["path"] == "gaps_reason"
    assert Publication.objects.filter(assessment=demo).count() == 0
    status, moved = publish({"state": "published", "gaps_reason": "One question is open."})
    assert status == 200 and moved["state"] == "published"


def test_the_overview_shows_the_checklist_and_the_web_publishes_with_gaps(
    demo, lead, reviewer
) -> None:  # type: ignore[no-untyped-def]
    unrate(demo, "1.1")
    approve(demo, lead, reviewer)
    client = client_for(lead)
    page = client.get("/assessments/vietnam-2019/").content.decode()
    assert "Not ready to publish: 108 of 109 questions rated." in page
    assert "1 question is not rated" in page and "dgra 1.1" in page
    assert 'name="gaps_reason"' in page and "Publish with gaps" in page

    refused = client.post("/assessments/vietnam-2019/workflow/", {"state": "published"})
    assert refused.status_code == 422
    published = client.post(
        "/assessments/vietnam-2019/workflow/",
        {"state": "published", "gaps_reason": "Dimension 1 follows."},
    )
    assert published.status_code == 302
    assert Publication.objects.get(assessment=demo).gaps_reason == "Dimension 1 follows."


def test_the_overview_in_vietnamese_names_the_gaps_in_vietnamese(demo, lead) -> None:  # type: ignore[no-untyped-def]
    unrate(demo, "1.1")
    page = client_for(lead).get("/assessments/vietnam-2019/", headers={"accept-language": "vi"})
    text = page.content.decode()
    assert "Chưa sẵn sàng để công bố" in text
    assert "108 trên 109 câu hỏi đã được đánh giá" in text


def test_the_cli_shows_the_checklist_and_publishes_with_a_reason(
    demo, lead, reviewer, capsys
) -> None:  # type: ignore[no-untyped-def]
    translation.activate("en")  # whatever language an earlier request left active
    unrate(demo, "1.1")
    call_command("review", "readiness", "vietnam-2019")
    out = capsys.readouterr().out
    assert out.startswith("not ready: 108 of 109 questions rated\n")
    assert "required\t1 question is not rated\tdgra 1.1" in out
    approve(demo, lead, reviewer)
    with pytest.raises(CommandError, match="gaps_reason: Not ready to publish"):
        call_command("review", "--as", "lead", "move", "vietnam-2019", "published")
    call_command(
        "review",
        "--as",
        "lead",
        "move",
        "vietnam-2019",
        "published",
        "--gaps-reason",
        "One question waits for the survey.",
    )
    assert Publication.objects.get(assessment=demo).gaps_reason.startswith("One question")
