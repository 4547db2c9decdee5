"""Stored addresses cannot become links that run script: refused at every door,
and shown as plain text if one was stored before the rule (or behind its back)."""

import copy
import datetime
import importlib
import json

import pytest
import yaml
from django.apps import apps
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError

from readiness.actionplans import services as plan_services
from readiness.actionplans.models import Action, ActionUpdate
from readiness.assessments import services as evidence_services
from readiness.assessments.models import Assessment, Evidence
from readiness.core.errors import InvalidInput
from readiness.core.templatetags.links import stored_link
from readiness.frameworks.models import Framework
from readiness.frameworks.services import BUILTIN_DIR, validate_framework_data
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

PROGRESS_API = "/api/v1/assessments/vietnam-2019/plan/dgra-lg-2/progress"
PLAN_PAGE = "/assessments/vietnam-2019/plan/"

SCRIPT_LINKS = [
    "javascript:alert(document.cookie)",
    "JaVaScRiPt:alert(1)",
    "   javascript:alert(1)",
    "\x01javascript:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    "//evil.example/",
    "mailto:someone@example.org",
    "https://example.org/" + "a" * 1000,
]


def progress(evidence_url: str) -> str:
    return json.dumps(
        {
            "date": "2019-09-01",
            "note": "Decree drafted",
            "percent": 40,
            "status": "in_progress",
            "evidence_url": evidence_url,
        }
    )


@pytest.mark.parametrize("url", SCRIPT_LINKS)
def test_a_counterpart_cannot_post_a_script_link_as_evidence_of_progress(
    counterpart: User, url: str
) -> None:
    before = ActionUpdate.objects.count()
    response = client_for(counterpart).post(
        PROGRESS_API, progress(url), content_type="application/json"
    )
    assert response.status_code == 422
    assert "evidence_url" in response.content.decode()
    assert ActionUpdate.objects.count() == before


def test_a_web_link_is_accepted_as_evidence_of_progress_and_shown_as_a_link(
    counterpart: User, lead: User
) -> None:
    response = client_for(counterpart).post(
        PROGRESS_API,
        progress("  https://example.org/decree?id=7&lang=en  "),
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["evidence_url"] == "https://example.org/decree?id=7&lang=en"
    html = client_for(lead).get(PLAN_PAGE).content.decode()
    assert (
        '<a href="https://example.org/decree?id=7&amp;lang=en" rel="noopener noreferrer">' in html
    )


@pytest.mark.parametrize("url", ["javascript:alert(1)", " data:text/html,<b>x</b>"])
def test_the_web_form_and_the_cli_refuse_a_script_link_as_evidence_of_progress(
    counterpart: User, demo: Assessment, url: str
) -> None:
    client_for(counterpart).post(
        PLAN_PAGE + "dgra-lg-2/progress/",
        {
            "date": "2019-10-01",
            "percent": "50",
            "status": "in_progress",
            "note": "n",
            "evidence_url": url,
        },
    )
    with pytest.raises(CommandError, match="evidence_url"):
        call_command(
            "plan", "progress", "vietnam-2019", "dgra-lg-2", "--percent", "50",
            "--status", "in_progress", "--note", "n", "--evidence-url", url,
        )  # fmt: skip
    assert not ActionUpdate.objects.filter(action__assessment=demo).exists()


def test_evidence_refuses_a_script_reference_url(assessor: User, demo: Assessment) -> None:
    question = demo.frameworks.get(key="dgra").questions.get(key="1.1")
    with pytest.raises(InvalidInput) as raised:
        evidence_services.add_evidence(
            actor=assessor,
            assessment=demo,
            question=question,
            sign="+",
            text="A decree",
            source_kind="document",
            reference_url="JavaScript:alert(1)",
        )
    assert [e.path for e in raised.value.errors] == ["reference_url"]


def test_a_framework_file_with_a_script_source_url_is_refused_at_source_url() -> None:
    framework = copy.deepcopy(
        yaml.safe_load((BUILTIN_DIR / "odra-3.1.yaml").read_text(encoding="utf-8"))
    )
    framework["key"] = "hostile-fw"
    framework["source"]["url"] = "javascript:alert(1)"
    with pytest.raises(InvalidInput) as raised:
        validate_framework_data(framework, "hostile.yaml")
    assert [e.path for e in raised.value.errors] == ["source.url"]
    assert not Framework.objects.filter(key="hostile-fw").exists()


def plant_progress(demo: Assessment, url: str, note: str = "Planted") -> ActionUpdate:
    """Straight into the table, as data stored before the rule would be."""
    return ActionUpdate.objects.create(
        action=Action.objects.get(assessment=demo, key="dgra-lg-2"),
        date=datetime.date(2019, 9, 1),
        note=note,
        percent=10,
        status="in_progress",
        evidence_url=url,
    )


def test_a_planted_script_link_shows_as_text_on_the_plan_page(lead: User, demo: Assessment) -> None:
    plant_progress(demo, "javascript:alert('planted')")
    html = client_for(lead).get(PLAN_PAGE).content.decode()
    assert "javascript:alert(&#x27;planted&#x27;)" in html  # shown, escaped
    assert 'href="javascript:' not in html


def test_a_planted_script_reference_url_shows_as_text_in_the_workspace(
    assessor: User, demo: Assessment
) -> None:
    question = demo.frameworks.get(key="dgra").questions.get(key="1.1")
    Evidence.objects.create(
        assessment=demo,
        question=question,
        sign="+",
        text="Planted evidence",
        source_kind="document",
        reference_title="The decree",
        reference_url="javascript:alert(2)",
    )
    page = client_for(assessor).get("/assessments/vietnam-2019/dgra/1/").content.decode()
    assert "Planted evidence" in page
    assert "The decree (javascript:alert(2))" in page
    assert 'href="javascript:' not in page


def test_a_planted_script_source_url_shows_as_text_on_the_framework_and_in_the_report(
    lead: User, demo: Assessment
) -> None:
    framework = demo.frameworks.get(key="dgra")
    Framework.objects.filter(pk=framework.pk).update(source_url="javascript:alert(3)")
    client = client_for(lead)
    page = client.get(f"/frameworks/{framework.key}/{framework.version}/").content.decode()
    report = client.get("/assessments/vietnam-2019/report/").content.decode()
    for html in (page, report):
        assert "javascript:alert(3)" in html
        assert 'href="javascript:' not in html


def test_the_link_filter_renders_a_safe_address_as_a_link_and_anything_else_as_text() -> None:
    assert stored_link("https://example.org/a?b=1&c=2", "Report") == (
        '<a href="https://example.org/a?b=1&amp;c=2" rel="noopener noreferrer">Report</a>'
    )
    assert stored_link('javascript:alert("x")', "") == "javascript:alert(&quot;x&quot;)"
    assert stored_link("data:text/html,<script>", "Report") == (
        "Report (data:text/html,&lt;script&gt;)"
    )
    assert stored_link("", "Report") == "Report"


def test_the_data_migration_clears_a_planted_script_link_and_keeps_it_in_the_note(
    demo: Assessment,
) -> None:
    bad = plant_progress(demo, "javascript:alert(4)", note="Decree signed")
    good = plant_progress(demo, "https://example.org/decree", note="Published")
    migration = importlib.import_module(
        "readiness.actionplans.migrations.0002_neutralise_unsafe_links"
    )
    migration.neutralise_unsafe_links(apps, None)
    bad.refresh_from_db()
    good.refresh_from_db()
    assert bad.evidence_url == ""
    assert bad.note == "Decree signed\n\n[evidence link removed as unsafe: javascript:alert(4)]"
    assert (good.evidence_url, good.note) == ("https://example.org/decree", "Published")


def test_the_service_names_evidence_url_for_every_door(counterpart: User, demo: Assessment) -> None:
    with pytest.raises(InvalidInput) as raised:
        plan_services.record_progress(
            actor=counterpart,
            assessment=demo,
            key="dgra-lg-2",
            date=datetime.date(2019, 9, 1),
            note="n",
            percent=5,
            status="in_progress",
            evidence_url="vbscript:msgbox(1)",
        )
    assert [e.path for e in raised.value.errors] == ["evidence_url"]
