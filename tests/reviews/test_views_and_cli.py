import re

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from readiness.accounts.models import ApiToken
from readiness.assessments import services
from readiness.assessments.models import Assessment
from readiness.frameworks.models import Framework
from readiness.reviews import services as reviews
from readiness.reviews.models import Comment
from tests.conftest import PASSWORD, client_for

pytestmark = pytest.mark.django_db
OVERVIEW = "/assessments/vietnam-2019/"


def publish(demo: Assessment) -> None:
    for state in ("in_review", "approved", "published"):
        reviews.move_to(actor=None, assessment=demo, target=state)


def test_only_the_lead_sees_and_uses_the_workflow_buttons(lead: User, assessor: User) -> None:
    assert "Move to “In review”" in client_for(lead).get(OVERVIEW).content.decode()
    assert "Move to “In review”" not in client_for(assessor).get(OVERVIEW).content.decode()
    response = client_for(assessor).post(f"{OVERVIEW}workflow/", {"state": "in_review"})
    assert response.status_code == 403
    response = client_for(lead).post(f"{OVERVIEW}workflow/", {"state": "in_review"})
    assert response.status_code == 302
    assert Assessment.objects.get(slug="vietnam-2019").state == "in_review"


def test_a_frozen_assessment_hides_the_edit_forms(lead: User, demo: Assessment) -> None:
    reviews.move_to(actor=None, assessment=demo, target="in_review")
    html = client_for(lead).get(f"{OVERVIEW}dgra/1/").content.decode()
    assert "Save rating" not in html and "Add evidence" not in html
    assert "The content is frozen" in client_for(lead).get(OVERVIEW).content.decode()


def test_comments_are_added_with_htmx_and_shown_as_text(counterpart: User) -> None:
    question = Framework.objects.get(key="dgra").questions.get(key="1.1")
    response = client_for(counterpart).post(
        f"{OVERVIEW}comments/",
        {"text": "<b>Is this current?</b>", "question": question.pk},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "&lt;b&gt;Is this current?&lt;/b&gt;" in html and "<b>Is this" not in html
    assert Comment.objects.filter(question=question, author=counterpart).exists()


def test_the_published_version_is_public_and_frozen(demo: Assessment, lead: User) -> None:
    publish(demo)
    anonymous = Client()
    html = anonymous.get("/published/vietnam-2019/").content.decode()
    assert "Leadership and Governance" in html and "Published version 1" in html
    assert "vietnam-2019" in anonymous.get("/published/").content.decode()
    assert anonymous.get(OVERVIEW).status_code == 302  # the working draft needs a login
    reviews.move_to(actor=lead, assessment=demo, target="draft")
    services.rate_question(
        actor=lead,
        assessment=demo,
        question=Framework.objects.get(key="dgra").questions.get(key="1.1"),
        level_code="red",
        rationale="Changed after publication",
        expected_version=1,
    )
    assert (
        "Changed after publication"
        not in anonymous.get("/published/vietnam-2019/").content.decode()
    )


def test_outsiders_do_not_learn_that_a_draft_exists(outsider: User) -> None:
    client = client_for(outsider)
    assert client.get(OVERVIEW).status_code == 404
    assert "vietnam-2019" not in client.get("/assessments/").content.decode()
    assert client.get("/published/vietnam-2019/").status_code == 404


def test_reconciliation_page_shows_each_assessor_and_agreement(
    lead: User, assessor: User, demo: Assessment
) -> None:
    services.set_rating_mode(
        actor=lead, assessment=demo, independent=True, reconciliation_open=False
    )
    question = Framework.objects.get(key="dgra").questions.get(key="1.1")
    for user, level in ((lead, "green"), (assessor, "red")):
        services.rate_question(
            actor=user, assessment=demo, question=question, level_code=level, expected_version=None
        )
    assert client_for(lead).get(f"{OVERVIEW}dgra/1/reconcile/").status_code == 403  # not open yet
    services.set_rating_mode(
        actor=lead, assessment=demo, independent=True, reconciliation_open=True
    )
    html = client_for(lead).get(f"{OVERVIEW}dgra/1/reconcile/").content.decode()
    assert "Disagreement: 4 steps apart" in html
    assert "Full agreement on 0 of 1 questions" in html
    response = client_for(lead).post(
        f"{OVERVIEW}dgra/1/reconcile/",
        {"question": question.pk, "level": "yellow", "rationale": "Agreed", "version": 1},
    )
    assert response.status_code == 302
    assert demo.ratings.get(question=question).level.code == "yellow"


def test_history_lists_changes_and_restores_from_the_web(assessor: User, demo: Assessment) -> None:
    question = Framework.objects.get(key="dgra").questions.get(key="1.2")
    client = client_for(assessor)
    services.rate_question(
        actor=assessor,
        assessment=demo,
        question=question,
        level_code="red",
        rationale="Temporarily red",
        expected_version=1,
    )
    html = client.get(f"{OVERVIEW}questions/{question.pk}/history/").content.decode()
    assert "Temporarily red" in html and "Restore this version" in html
    first = demo.changes.filter(entity="rating", question=question).earliest("id")
    response = client.post(f"{OVERVIEW}history/{first.pk}/restore/")
    assert response.status_code == 302
    assert demo.ratings.get(question=question).level.code == "yellow"


def test_the_token_page_shows_a_new_secret_once(assessor: User) -> None:
    client = client_for(assessor)
    html = client.post("/account/tokens/", {"name": "laptop"}).content.decode()
    secret = re.search(r'<code id="new-token">(rdy_[^<]+)</code>', html).group(1)  # type: ignore[union-attr]
    token = ApiToken.objects.get(user=assessor)
    assert token.key_hash not in html and secret not in token.key_hash
    assert secret not in client.get("/account/tokens/").content.decode()
    client.post(f"/account/tokens/{token.pk}/revoke/")
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_the_login_form_says_when_an_account_is_locked(assessor: User) -> None:
    client = Client()
    for _ in range(5):
        client.post("/accounts/login/", {"username": "assessor", "password": "wrong"})
    html = client.post(
        "/accounts/login/", {"username": "assessor", "password": PASSWORD}
    ).content.decode()
    assert "Too many failed login attempts" in html


def test_the_cli_manages_users_tokens_team_and_workflow(capsys, demo: Assessment) -> None:  # type: ignore[no-untyped-def]
    call_command("accounts", "create-user", "mai")
    password = capsys.readouterr().out.split("password: ")[1].strip()
    assert Client().login(username="mai", password=password)
    call_command("accounts", "token", "create", "mai", "ci")
    assert capsys.readouterr().out.startswith("rdy_")
    call_command("review", "team", "vietnam-2019", "--set", "mai", "reviewer")
    assert "mai\treviewer" in capsys.readouterr().out
    with pytest.raises(CommandError, match="does not allow"):
        call_command("review", "--as", "mai", "move", "vietnam-2019", "in_review")
    call_command("review", "--as", "demo", "move", "vietnam-2019", "in_review")
    call_command("review", "--as", "mai", "move", "vietnam-2019", "approved")
    assert "approved" in capsys.readouterr().out
    with pytest.raises(CommandError, match="no assessment"):
        call_command("review", "--as", "mai", "comments", "nowhere")
