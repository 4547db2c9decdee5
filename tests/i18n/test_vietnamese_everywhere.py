"""Every page and every error path, in Vietnamese, says nothing in English
except data (what people typed or imported) and proper names.

How English is recognised: a word list, not a comparison with the English
rendering. The demo's data is mostly English (evidence, action titles), so
both renderings share much English text and a comparison cannot tell an
untranslated label from an imported sentence. Instead each piece of visible
text (text nodes, and the labels assistive technology reads) is searched for
common English words of the interface; a piece is forgiven only when it is
found in the stored data itself. The words chosen are not also Vietnamese
syllables ("an", "to", "do", "in", "no", "hay", "ban" are left out)."""

import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.db import models
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from readiness.actionplans.models import Action
from readiness.assessments.models import Assessment, Evidence, QuestionRating
from readiness.assessments.services import rate_question
from readiness.core.models import ChangeRecord
from readiness.frameworks.models import Question

pytestmark = pytest.mark.django_db

ENGLISH = frozenset(
    """
    the and of for with not must required field fields found page pages request invalid valid
    enter please save saved edit delete deleted cancel submit search filter next previous first
    last back login logout log password username error errors forbidden unauthorized cannot
    parse body input should string characters character least most number whole months month
    year years date time draft review reviewed published approved changes requested archived
    assessment assessments evidence rating ratings level levels framework frameworks dimension
    dimensions question questions action actions plan organisation organisations report reports
    download upload file files team member members role comment comments reply resolve resolved
    history version restore show hide view close open yes none all any this that there nothing
    address method server something wrong went allowed possible now select choose list more
    less than greater equal value values text title name description note status percent
    progress cost costs responsible supporting depends key kind source author summary overview
    workspace reconcile independent agreed verdict suggested suggestion mean score weight
    importance language switch skip content published tracking tabular critical path expired
    reload again site another was were is are be has have been its by from or if you your
    can may add added new create created remove removed import export sheet row column rows
    missing unknown such already exists empty loaded there here when where which who what
    because only also other others own each every rated not yet counted period start end
    """.split()
)
# Names and acronyms that are the same in both languages.
ALLOWED = frozenset(
    "dgra odra od4b oecd usd vnd pdf docx xlsx csv json yaml html api url urls iso id http "
    "https utc ctrl".split()
)
# Lower case or capitalised: "MoST" and "DGRA" are acronyms, not words.
# Names of the protocol, the same in every language.
TECHNICAL = ("Content-Type", "application/json", "If-Match")
WORD = re.compile(r"\b[A-Za-z][a-z'’]+\b")
SEGMENTS = re.compile(r" · | — | – |: |; |[()“”*]|\n| › | → | \+ ")
SPACES = re.compile(r"\s+")
READ_ATTRIBUTES = {"aria-label", "title", "placeholder", "alt"}
SKIPPED_ELEMENTS = {"script", "style", "code", "pre", "textarea"}


class VisibleText(HTMLParser):
    """The texts a reader sees or hears: text nodes and labelling attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIPPED_ELEMENTS:
            self.skipping += 1
        self.texts += [value for name, value in attrs if name in READ_ATTRIBUTES and value]

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED_ELEMENTS and self.skipping:
            self.skipping -= 1

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.texts.append(data)


def normal(text: str) -> str:
    return SPACES.sub(" ", text).strip()


def english_words(text: str) -> set[str]:
    for name in TECHNICAL:
        text = text.replace(name, "")
    words = {word.lower().rstrip("'’") for word in WORD.findall(text)}
    return {word for word in words if word in ENGLISH and word not in ALLOWED}


def stored_texts(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from stored_texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from stored_texts(item)


def data_corpus() -> str:
    """Every text stored in the database (what people typed or imported),
    except values chosen from a list, which the pages must translate; and
    the lists of those values' codes, which a refusal names for the API."""
    texts: list[str] = []
    for model in apps.get_models():
        if not model.__module__.startswith("readiness.") and model is not User:
            continue
        for field in model._meta.concrete_fields:
            codes = [str(value) for value, _label in field.choices or []]
            if len(codes) > 1:
                texts += [", ".join(codes), " ".join(codes)]
        names = [
            field.name
            for field in model._meta.concrete_fields
            if isinstance(field, models.CharField | models.TextField | models.JSONField)
            and not field.choices
        ]
        for row in model.objects.values_list(*names) if names else []:
            for value in row:
                texts += [normal(text) for text in stored_texts(value)]
    return "\n".join(texts)


def without_data(piece: str, corpus: str) -> str:
    """The piece less the stored text it ends or starts with: a page writes
    "Sửa hoặc xóa Setup of a lab" or "20.000 USD 20-30k for experts"."""
    if piece in corpus:
        return ""
    words = piece.split(" ")
    for cut in range(1, len(words)):
        if " ".join(words[cut:]) in corpus:
            return " ".join(words[:cut])
        if " ".join(words[: len(words) - cut]) in corpus:
            return " ".join(words[len(words) - cut :])
    return piece


def untranslated(texts: list[str], corpus: str) -> list[str]:
    found = []
    for text in texts:
        for segment in SEGMENTS.split(normal(text)):
            piece = segment.strip(" .,…:·\"'")
            if english_words(piece) and english_words(without_data(piece, corpus)):
                found.append(piece)
    return found


def page_texts(response: Any) -> list[str]:
    content_type = response.get("Content-Type", "")
    if content_type.startswith("application/json"):
        body = json.loads(response.content)
        return [body.get("message", "")] + [e["message"] for e in body.get("errors", [])]
    parser = VisibleText()
    parser.feed(response.content.decode())
    return parser.texts


def vietnamese(client: Client) -> Client:
    client.cookies["django_language"] = "vi"
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "vi"
    return client


def signed_in(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return vietnamese(client)


def example_arguments(demo: Assessment) -> dict[str, Any]:
    """A value for each URL parameter, taken from the demo."""
    question = Question.objects.filter(framework__in=demo.frameworks.all()).first()
    assert question is not None
    action = Action.objects.filter(assessment=demo).select_related("responsible").first()
    assert action is not None
    return {
        "slug": demo.slug,
        "framework_key": question.framework.key,
        "dimension_key": question.dimension.key,
        "question_id": question.pk,
        "key": action.key,
        "version": question.framework.version,
        "evidence_id": Evidence.objects.filter(assessment=demo).values_list("pk", flat=True)[0],
        "country": "VN",
        "abbreviation": action.responsible.abbreviation,
        "change_id": ChangeRecord.objects.values_list("pk", flat=True).first() or 1,
    }


def named_pages(resolver: URLResolver, prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            yield from named_pages(pattern, namespace)
        elif pattern.name:
            yield prefix + pattern.name, pattern


def web_pages(demo: Assessment) -> list[str]:
    """Every named web address the demo can fill in (the API, the admin and
    the downloads are not pages; Django's admin is not translated by us)."""
    arguments = example_arguments(demo)
    urls = []
    for name, pattern in named_pages(get_resolver()):
        if name.startswith(("api:", "admin:")) or name in {"logout", "set_language"}:
            continue
        wanted = pattern.pattern.regex.groupindex
        values = {key: arguments[key] for key in wanted if key in arguments}
        if name == "frameworks:detail":
            values["key"] = demo.frameworks.first().key  # type: ignore[union-attr]
        if len(values) != len(wanted):
            continue
        urls.append(reverse(name, kwargs=values))
    return urls


def test_every_page_for_the_demo_lead_is_vietnamese(demo) -> None:  # type: ignore[no-untyped-def]
    client = signed_in("demo")
    corpus = data_corpus()
    problems = {}
    visited = 0
    for url in web_pages(demo):
        response = client.get(url)
        if response.status_code in (301, 302, 405) or not response.get(
            "Content-Type", ""
        ).startswith("text/html"):
            continue
        visited += 1
        found = untranslated(page_texts(response), corpus)
        if found:
            problems[url] = found
    assert visited >= 15, visited
    assert not problems, json.dumps(problems, ensure_ascii=False, indent=1)


@pytest.mark.parametrize(
    "username", ["demo-assessor", "demo-reviewer", "demo-counterpart", "anonymous"]
)
def test_the_pages_other_personas_see_are_vietnamese(demo, username: str) -> None:  # type: ignore[no-untyped-def]
    client = vietnamese(Client()) if username == "anonymous" else signed_in(username)
    corpus = data_corpus()
    problems = {}
    for url in ["/accounts/login/", "/published/", "/assessments/", f"/assessments/{demo.slug}/"]:
        response = client.get(url, follow=True)
        found = untranslated(page_texts(response), corpus)
        if found:
            problems[url] = found
    assert not problems, json.dumps(problems, ensure_ascii=False, indent=1)


def test_the_walk_finds_english_where_there_is_some(demo) -> None:  # type: ignore[no-untyped-def]
    # The oracle itself: an English page (the same address, in English) is caught.
    client = Client()
    client.force_login(User.objects.get(username="demo"))
    response = client.get(f"/assessments/{demo.slug}/", HTTP_ACCEPT_LANGUAGE="en")
    assert untranslated(page_texts(response), data_corpus())


def error_answers(demo: Assessment) -> Iterator[tuple[str, Any]]:
    lead = signed_in("demo")
    counterpart = signed_in("demo-counterpart")
    anonymous = vietnamese(Client())
    slug = demo.slug
    yield "unknown address", lead.get("/nowhere/")
    yield "unknown assessment", lead.get("/assessments/nowhere/")
    yield "unknown dimension", lead.get(f"/assessments/{slug}/dgra/99/")
    yield "unknown publication", anonymous.get("/published/nowhere/")
    yield "htmx 403", counterpart.post(f"/assessments/{slug}/rating-mode/", HTTP_HX_REQUEST="true")
    yield "409", lead.post(f"/assessments/{slug}/workflow/", {"state": "published"})
    yield "422", lead.post(f"/assessments/{slug}/workflow/", {"state": "nowhere"})
    yield "400 control character", lead.get("/assessments/?q=%00")
    csrf = vietnamese(Client(enforce_csrf_checks=True))
    csrf.force_login(User.objects.get(username="demo"))
    yield "CSRF", csrf.post(f"/assessments/{slug}/workflow/", {"state": "in_review"})
    api = "/api/v1"
    yield "API 401", anonymous.get(f"{api}/assessments")
    yield "API 404 address", lead.get(f"{api}/nowhere")
    yield "API 404 assessment", lead.get(f"{api}/assessments/nowhere")
    yield "API 405", lead.delete(f"{api}/frameworks")
    yield "API 415", lead.post(f"{api}/assessments/{slug}/evidence", {"text": "x"})
    yield (
        "API 422",
        lead.post(
            f"{api}/assessments",
            json.dumps({"slug": "x", "title": "x" * 400, "frameworks": [{}]}),
            content_type="application/json",
        ),
    )
    yield (
        "API 400",
        lead.post(f"{api}/assessments", "{", content_type="application/json"),
    )


def test_every_error_answer_is_vietnamese(demo, settings) -> None:  # type: ignore[no-untyped-def]
    corpus = data_corpus()
    problems = {}
    statuses = {}
    for name, response in error_answers(demo):
        statuses[name] = response.status_code
        found = untranslated(page_texts(response), corpus)
        if found:
            problems[name] = found
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    big = signed_in("demo").post(
        f"/api/v1/assessments/{demo.slug}/evidence",
        json.dumps({"text": "x" * 200}),
        content_type="application/json",
    )
    statuses["API 413"] = big.status_code
    if untranslated(page_texts(big), corpus):
        problems["API 413"] = untranslated(page_texts(big), corpus)
    assert statuses == {
        "unknown address": 404,
        "unknown assessment": 404,
        "unknown dimension": 404,
        "unknown publication": 404,
        "htmx 403": 403,
        "409": 409,
        "422": 422,
        "400 control character": 400,
        "CSRF": 403,
        "API 401": 401,
        "API 404 address": 404,
        "API 404 assessment": 404,
        "API 405": 405,
        "API 415": 415,
        "API 422": 422,
        "API 400": 400,
        "API 413": 413,
    }
    assert not problems, json.dumps(problems, ensure_ascii=False, indent=1)


def test_error_pages_are_the_applications_own(demo) -> None:  # type: ignore[no-untyped-def]
    page = signed_in("demo").get("/nowhere/").content.decode()
    assert "Không tìm thấy" in page and "Không có gì ở địa chỉ này." in page
    csrf = vietnamese(Client(enforce_csrf_checks=True))
    csrf.force_login(User.objects.get(username="demo"))
    refused = csrf.post(f"/assessments/{demo.slug}/workflow/", {"state": "in_review"})
    assert "Biểu mẫu đã hết hạn" in refused.content.decode()
    assert "CSRF verification failed" not in refused.content.decode()


def answers_to_forms(demo: Assessment) -> Iterator[tuple[str, Any]]:
    """Pages that only a form's answer shows: the confirmation before deleting
    an action others wait for, the plan after it with its deleted actions, and
    the readiness checklist while a question is not rated."""
    lead = signed_in("demo")
    plan = f"/assessments/{demo.slug}/plan/"
    waited_for = Action.objects.get(assessment=demo, key="dgra-lg-1")
    version = {"version": waited_for.version}
    yield "delete: confirm", lead.post(f"{plan}dgra-lg-1/delete/", version)
    yield (
        "delete: done",
        lead.post(f"{plan}dgra-lg-1/delete/", {**version, "confirmed": "yes"}, follow=True),
    )
    QuestionRating.objects.filter(assessment=demo, question__key="1.1").delete()
    yield "checklist", lead.get(f"/assessments/{demo.slug}/")


def test_the_answers_to_forms_are_vietnamese(demo) -> None:  # type: ignore[no-untyped-def]
    corpus = data_corpus()
    problems = {}
    texts = {}
    for name, response in answers_to_forms(demo):
        assert response.status_code == 200, name
        texts[name] = " ".join(page_texts(response))
        found = untranslated(page_texts(response), corpus)
        if found:
            problems[name] = found
    assert "Xóa" in texts["delete: confirm"]
    assert "Có thể khôi phục ở bên dưới" in texts["delete: done"]
    assert "Chưa sẵn sàng để công bố" in texts["checklist"]
    assert not problems, json.dumps(problems, ensure_ascii=False, indent=1)


LEVEL_CODES = re.compile(r"\b(green|yellow_green|yellow|yellow_red|red)\b")


def test_a_rating_is_shown_by_its_label_never_its_code(demo) -> None:  # type: ignore[no-untyped-def]
    question = Question.objects.get(framework__key="dgra", key="1.1")
    for code in ("green", "red"):
        rating = QuestionRating.objects.get(assessment=demo, question=question)
        rate_question(
            actor=None,
            assessment=demo,
            question=question,
            level_code=code,
            rationale="x",
            cited_evidence_ids=[],
            expected_version=rating.version,
        )
    lead = signed_in("demo")
    pages = [
        f"/assessments/{demo.slug}/questions/{question.pk}/history/",
        f"/assessments/{demo.slug}/dgra/1/",
        f"/assessments/{demo.slug}/",
    ]
    for url in pages:
        text = " ".join(page_texts(lead.get(url)))
        assert not LEVEL_CODES.findall(text), url
    history = " ".join(page_texts(lead.get(pages[0])))
    assert "Xanh lá — x" in history and "Đỏ — x" in history
