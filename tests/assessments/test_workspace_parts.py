"""A dimension longer than a page holds is shown in parts of 50 questions,
with links between the parts; links to a question open the part that holds
it. The shipped frameworks' dimensions are short enough for one part."""

import copy
import re

import pytest
import yaml
from django.contrib.auth.models import User
from django.test import Client

from readiness.assessments import services
from readiness.assessments.models import Assessment, Membership
from readiness.assessments.permissions import Role
from readiness.frameworks.models import Question
from readiness.frameworks.services import BUILTIN_DIR, load_framework, validate_framework_data
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def long_dimension(demo: Assessment) -> tuple[Assessment, Client, list[Question]]:
    """A framework whose first dimension has 120 questions (keys 1.1 … 1.120)."""
    data = yaml.safe_load((BUILTIN_DIR / "dgra-2018.yaml").read_text(encoding="utf-8"))
    template = data["dimensions"][0]["questions"][0]
    dimension = copy.deepcopy(data["dimensions"][0])
    dimension.update(key="1", order=1)
    dimension["questions"] = [
        {**copy.deepcopy(template), "key": f"1.{number}"} for number in range(1, 121)
    ]
    data.update(key="long", version="1", dimensions=[dimension])
    framework, _ = load_framework(validate_framework_data(data))
    assessment = services.create_assessment(
        actor=None,
        slug="long",
        title="A long dimension",
        subject_kind="country",
        subject_code="VN",
        frameworks=[framework],
    )
    lead = User.objects.create_user(username="long-lead", password="x")
    Membership.objects.create(assessment=assessment, user=lead, role=Role.LEAD)
    questions = list(framework.questions.order_by("order"))
    return assessment, client_for(lead), questions


def shown_keys(page: str, questions: list[Question]) -> list[str]:
    key_of = {question.pk: question.key for question in questions}
    return [key_of[int(pk)] for pk in re.findall(r'<article id="q-(\d+)"', page)]


URL = "/assessments/long/long/1/"


def test_the_first_part_shows_the_first_fifty_questions_and_links_to_the_others(
    long_dimension: tuple[Assessment, Client, list[Question]],
) -> None:
    _, client, questions = long_dimension
    page = client.get(URL).content.decode()
    assert shown_keys(page, questions) == [f"1.{n}" for n in range(1, 51)]
    assert "Questions 1 to 50 of 120. Part:" in page
    assert re.findall(r'<a href="\?part=(\d)"', page) == ["1", "2", "3", "2"]
    assert '<a href="?part=1" aria-current="page">1</a>' in page
    assert "Go on to part 2 of this dimension" in page


def test_the_last_part_holds_what_is_left_and_offers_no_next_part(
    long_dimension: tuple[Assessment, Client, list[Question]],
) -> None:
    _, client, questions = long_dimension
    page = client.get(URL + "?part=3").content.decode()
    assert shown_keys(page, questions) == [f"1.{n}" for n in range(101, 121)]
    assert "Questions 101 to 120 of 120. Part:" in page
    assert "Go on to part" not in page


@pytest.mark.parametrize("part", ["0", "4", "two", "²"])
def test_a_part_that_does_not_exist_is_not_found(
    long_dimension: tuple[Assessment, Client, list[Question]], part: str
) -> None:
    _, client, _questions = long_dimension
    assert client.get(URL, {"part": part}).status_code == 404


def test_a_link_to_a_question_opens_the_part_that_holds_it(
    long_dimension: tuple[Assessment, Client, list[Question]],
) -> None:
    _, client, questions = long_dimension
    seventy_fifth = questions[74]
    page = client.get(URL, {"question": seventy_fifth.pk}).content.decode()
    assert shown_keys(page, questions) == [f"1.{n}" for n in range(51, 101)]
    assert f'id="q-{seventy_fifth.pk}"' in page


def test_saving_a_rating_without_script_returns_to_the_part_of_its_question(
    long_dimension: tuple[Assessment, Client, list[Question]],
) -> None:
    _assessment, client, questions = long_dimension
    question = questions[119]
    level = question.framework.levels.order_by("order").first()
    assert level is not None
    response = client.post(
        f"/assessments/long/questions/{question.pk}/rating/",
        {"level": level.code, "rationale": "Seen in the decree.", "version": ""},
    )
    assert response.status_code == 302
    assert response["Location"] == f"{URL}?question={question.pk}#q-{question.pk}"
    page = client.get(response["Location"].split("#")[0]).content.decode()
    assert shown_keys(page, questions)[-1] == "1.120"


def test_the_number_of_queries_does_not_grow_with_the_part(
    long_dimension: tuple[Assessment, Client, list[Question]],
    django_assert_max_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    _, client, _questions = long_dimension
    client.get(URL)  # the session, the visit
    with django_assert_max_num_queries(60) as first:
        client.get(URL)
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(URL + "?part=3")


def test_a_shipped_dimension_is_one_part_without_part_links(demo: Assessment, lead: User) -> None:
    page = client_for(lead).get("/assessments/vietnam-2019/dgra/1/").content.decode()
    assert "question-parts" not in page
    assert "Go on to part" not in page
