import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from readiness.assessments import services
from readiness.assessments.models import Evidence, QuestionRating
from readiness.frameworks.models import Framework

pytestmark = pytest.mark.django_db

WORKSPACE = "/assessments/vietnam-2019/dgra/1/"


def test_anonymous_visitors_are_sent_to_the_login(anonymous_client: Client, demo) -> None:  # type: ignore[no-untyped-def]
    response = anonymous_client.get(WORKSPACE)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_demo_login_works(anonymous_client: Client, demo) -> None:  # type: ignore[no-untyped-def]
    response = anonymous_client.post(
        "/accounts/login/", {"username": "demo", "password": "readiness-demo"}
    )
    assert response.status_code == 302
    assert anonymous_client.get("/assessments/").status_code == 200


def test_the_overview_shows_every_dimension_with_its_colour(assessor_client: Client, demo) -> None:  # type: ignore[no-untyped-def]
    html = assessor_client.get("/assessments/vietnam-2019/").content.decode()
    assert html.count('class="level"') >= 2 * (7 + 8)
    assert "Leadership and Governance" in html and "Senior Leadership" in html
    assert "differs from suggestion" in html


def test_the_workspace_lists_questions_evidence_and_the_suggestion(
    assessor_client: Client, demo
) -> None:  # type: ignore[no-untyped-def]
    html = assessor_client.get(WORKSPACE).content.decode()
    assert html.count('class="question"') == 17
    assert "Does the Government have a shared vision for digital transformation?" in html
    assert 'id="suggested-level"' in html and "Differs from the suggestion because" in html


def test_the_workspace_is_in_vietnamese_when_asked(assessor_client: Client, demo) -> None:  # type: ignore[no-untyped-def]
    assessor_client.post("/i18n/setlang/", {"language": "vi", "next": WORKSPACE})
    html = assessor_client.get(WORKSPACE).content.decode()
    dgra = Framework.objects.get(key="dgra")
    assert dgra.questions.get(key="1.1").text["vi"] in html
    assert dgra.dimensions.get(key="1").title["vi"] in html
    assert "Lưu mức đánh giá" in html and "Câu hỏi chính" in html
    assert "Save rating" not in html and "Add evidence" not in html


def test_the_number_of_queries_does_not_grow_with_the_questions(
    assessor_client: Client, demo
) -> None:  # type: ignore[no-untyped-def]
    def queries(url: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert assessor_client.get(url).status_code == 200
        return len(captured)

    small = queries("/assessments/vietnam-2019/dgra/3/")  # 5 questions
    large = queries("/assessments/vietnam-2019/dgra/1/")  # 17 questions
    assert small == large
    assert queries("/assessments/vietnam-2019/") == queries("/assessments/vietnam-2019/")


def test_rating_through_htmx_returns_the_question_and_the_summary(
    assessor_client: Client, demo
) -> None:  # type: ignore[no-untyped-def]
    rating = QuestionRating.objects.get(
        assessment=demo, question__framework__key="dgra", question__key="1.2"
    )
    url = reverse("assessments:rate-question", args=["vietnam-2019", rating.question_id])
    response = assessor_client.post(
        url,
        {"level": "red", "rationale": "No law yet.", "version": rating.version},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="q-{rating.question_id}"' in html and 'hx-swap-oob="true"' in html
    assert "Rating saved." in html
    rating.refresh_from_db()
    assert rating.level.code == "red" and rating.rationale == "No law yet." and rating.version == 2


def test_a_stale_rating_form_shows_both_values_and_keeps_the_users_text(
    assessor_client: Client, assessor, demo
) -> None:  # type: ignore[no-untyped-def]
    rating = QuestionRating.objects.get(
        assessment=demo, question__framework__key="dgra", question__key="1.2"
    )
    services.rate_question(
        actor=assessor,
        assessment=demo,
        question=rating.question,
        level_code="green",
        rationale="Someone else's view",
        expected_version=rating.version,
    )
    url = reverse("assessments:rate-question", args=["vietnam-2019", rating.question_id])
    response = assessor_client.post(
        url,
        {"level": "red", "rationale": "My careful reasoning", "version": rating.version},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert "was changed by someone else" in html
    assert "Someone else&#x27;s view" in html
    assert "My careful reasoning" in html
    rating.refresh_from_db()
    assert rating.rationale == "Someone else's view"


def test_adding_evidence_without_javascript_redirects_back(assessor_client: Client, demo) -> None:  # type: ignore[no-untyped-def]
    question = Framework.objects.get(key="dgra").questions.get(key="2.1")
    url = reverse("assessments:add-evidence", args=["vietnam-2019", question.pk])
    response = assessor_client.post(
        url, {"sign": "o", "text": "Mixed signals.", "source_kind": "observation"}
    )
    assert response.status_code == 302 and response["Location"].endswith(f"#q-{question.pk}")
    assert Evidence.objects.filter(question=question, text="Mixed signals.", sign="o").exists()


def test_empty_evidence_is_refused_with_the_field_named(assessor_client: Client, demo) -> None:  # type: ignore[no-untyped-def]
    question = Framework.objects.get(key="dgra").questions.get(key="2.1")
    count = Evidence.objects.count()
    url = reverse("assessments:add-evidence", args=["vietnam-2019", question.pk])
    response = assessor_client.post(url, {"sign": "+", "text": "", "source_kind": "document"})
    assert response.status_code == 422
    assert "This field is required." in response.content.decode()
    assert Evidence.objects.count() == count


def test_a_verdict_that_differs_needs_a_reason(assessor_client: Client, demo) -> None:  # type: ignore[no-untyped-def]
    url = reverse("assessments:record-verdict", args=["vietnam-2019", "dgra", "3"])
    verdict = demo.verdicts.get(dimension__framework__key="dgra", dimension__key="3")
    response = assessor_client.post(url, {"level": "green", "version": verdict.version})
    assert response.status_code == 422
    assert "say why the verdict differs" in response.content.decode()
    verdict.refresh_from_db()
    assert verdict.level.code == "yellow_red"


def test_creating_an_assessment_from_the_form(assessor: User, assessor_client: Client) -> None:
    assessor.is_staff = True  # the default site setting: staff create assessments
    assessor.save()
    dgra = Framework.objects.get(key="dgra")
    response = assessor_client.post(
        "/assessments/new/",
        {
            "title": "Đà Nẵng 2026",
            "slug": "da-nang-2026",
            "subject_kind": "subdivision",
            "subject_code": "vn-dn",
            "frameworks": [dgra.pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert assessor_client.get("/assessments/da-nang-2026/").status_code == 200


def test_unknown_pages_are_404_not_500(assessor_client: Client, demo) -> None:  # type: ignore[no-untyped-def]
    for url in [
        "/assessments/nowhere/",
        "/assessments/vietnam-2019/oecd-dgpf/1/",
        "/assessments/vietnam-2019/dgra/99/",
        "/assessments/vietnam-2019/questions/999999/rating/",
        "/frameworks/dgra/1900/",
    ]:
        method = assessor_client.post if "rating" in url else assessor_client.get
        assert method(url).status_code == 404, url


def test_framework_pages_show_the_scale_and_questions(assessor_client: Client) -> None:
    html = assessor_client.get("/frameworks/odra/3.1/").content.decode()
    assert "Very High" in html and "Political Leadership" in html
    assert assessor_client.get("/frameworks/").status_code == 200


def test_a_low_rating_offers_the_frameworks_recommended_actions(
    assessor_client: Client,
    demo,  # type: ignore[no-untyped-def]
) -> None:
    dgra = Framework.objects.get(key="dgra")
    low = [
        q
        for q in dgra.questions.exclude(recommended_actions=[])
        if demo.ratings.get(question=q).level.code in {"red", "yellow_red"}
    ]
    assert low, "the DGRA framework recommends actions for low-rated questions"
    question = low[0]
    url = f"/assessments/vietnam-2019/dgra/{question.dimension.key}/"
    html = assessor_client.get(url).content.decode()
    block = html.split(f'id="q-{question.pk}"')[1].split("</article>")[0]
    assert question.recommended_actions[0]["en"] in block
    assert "/assessments/vietnam-2019/plan/?title=" in block
    high = dgra.questions.get(key="1.1")  # rated Yellow/Green: nothing to recommend
    html = assessor_client.get("/assessments/vietnam-2019/dgra/1/").content.decode()
    assert (
        "Recommended actions for a low rating"
        not in html.split(f'id="q-{high.pk}"')[1].split("</article>")[0]
    )
