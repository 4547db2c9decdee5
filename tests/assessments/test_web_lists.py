"""The web lists of assessments, evidence and actions, and the CLI list: the
same filters, sorts and pages as the API, their state in the address."""

import io
import re

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from readiness.actionplans.models import Action
from readiness.assessments import services
from readiness.assessments.models import Assessment
from readiness.frameworks.models import Framework
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

EVIDENCE = "/assessments/vietnam-2019/evidence/"
ACTIONS = "/assessments/vietnam-2019/plan/list/"


def rows(html: str) -> int:
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return body.count("<tr>")


def links(html: str, text: str) -> list[str]:
    return [
        href.replace("&amp;", "&")
        for href in re.findall(rf'<a href="([^"]+)"[^>]*>{text}</a>', html)
    ]


def test_the_evidence_list_pages_and_its_next_link_keeps_the_filters(
    assessor_client: Client, demo: Assessment
) -> None:
    page = assessor_client.get(f"{EVIDENCE}?framework=odra&sign=-")
    html = page.content.decode()
    assert page.status_code == 200
    expected = demo.evidence.filter(question__framework__key="odra", sign="-").count()
    assert f"50 shown of {expected} items" in html
    assert rows(html) == 50
    [next_page] = links(html, "Next page")
    assert "framework=odra" in next_page and "sign=-" in next_page
    second = assessor_client.get(EVIDENCE + next_page).content.decode()
    assert rows(second) == min(50, expected - 50)
    assert links(second, "First page") and links(second, "Previous page")


def test_a_sorted_column_says_so_and_its_head_sorts_the_other_way(
    assessor_client: Client, demo: Assessment
) -> None:
    html = assessor_client.get(f"{EVIDENCE}?sort=date&source_kind=document").content.decode()
    assert re.search(r'<th scope="col" aria-sort="ascending"><a href="\?([^"]+)">Date', html)
    head = re.search(r'aria-sort="ascending"><a href="\?([^"]+)"', html)
    assert head is not None
    assert "sort=-date" in head.group(1) and "source_kind=document" in head.group(1)
    assert html.count("aria-sort=") == 1


def test_a_refused_filter_names_the_parameter_and_lists_nothing(
    assessor_client: Client, demo: Assessment
) -> None:
    response = assessor_client.get(f"{EVIDENCE}?sign=plus")
    assert response.status_code == 422
    assert "sign" in response.content.decode()
    assert assessor_client.get("/assessments/?year=soon").status_code == 422


def test_an_outsider_gets_404_for_the_evidence_and_action_lists(
    outsider: User, demo: Assessment
) -> None:
    client = client_for(outsider)
    assert client.get(EVIDENCE).status_code == 404
    assert client.get(ACTIONS).status_code == 404


def test_the_assessment_list_filters_by_state_and_subject_from_the_address(
    admin_client: Client, demo: Assessment
) -> None:
    services.create_assessment(
        actor=None,
        slug="laos-2026",
        title="Laos 2026",
        subject_kind="country",
        subject_code="LA",
        frameworks=[Framework.objects.get(key="dgra")],
    )
    everything = admin_client.get("/assessments/").content.decode()
    assert "Laos 2026" in everything and "Vietnam (2019)" in everything
    laos = admin_client.get("/assessments/?subject=LA&state=draft").content.decode()
    assert "Laos 2026" in laos and "Vietnam (2019)" not in laos
    assert 'value="LA"' in laos and '<option value="draft" selected>' in laos
    none = admin_client.get("/assessments/?subject=KH").content.decode()
    assert "No assessments match these filters." in none


def test_the_action_list_filters_by_phase(assessor_client: Client, demo: Assessment) -> None:
    short = Action.objects.filter(assessment=demo, phase="short").count()
    html = assessor_client.get(f"{ACTIONS}?phase=short&sort=key").content.decode()
    assert rows(html) == min(short, 50)
    assert f"shown of {short} item" in html
    assert '<th scope="col" aria-sort="ascending"><a href="?phase=short&amp;sort=-key">Key' in html
    none = assessor_client.get(f"{ACTIONS}?phase=immediate").content.decode()
    assert "No actions match these filters." in none


@pytest.mark.parametrize(
    "url", ["/assessments/?limit={n}", EVIDENCE + "?limit={n}", ACTIONS + "?limit={n}"]
)
def test_a_web_list_page_takes_the_same_number_of_queries_whatever_its_length(
    assessor_client: Client, demo: Assessment, url: str
) -> None:
    assessor_client.get(url.format(n=1))  # the session, once
    counts = []
    for n in (1, 40):
        with CaptureQueriesContext(connection) as queries:
            assert assessor_client.get(url.format(n=n)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_cli_lists_assessments_with_the_same_filters(demo: Assessment) -> None:
    services.create_assessment(
        actor=None,
        slug="laos-2026",
        title="Laos 2026",
        subject_kind="country",
        subject_code="LA",
        frameworks=[Framework.objects.get(key="odra")],
    )
    out = io.StringIO()
    call_command("assessment", "list", "--subject", "la", "--framework", "odra", stdout=out)
    assert out.getvalue().splitlines() == ["laos-2026\tLaos 2026"]
    out = io.StringIO()
    call_command("assessment", "list", "--sort", "slug", stdout=out)
    assert [line.split("\t")[0] for line in out.getvalue().splitlines()] == [
        "laos-2026",
        "vietnam-2019",
    ]
    with pytest.raises(CommandError, match="state"):
        call_command("assessment", "list", "--state", "finished")


def test_the_lists_speak_vietnamese(assessor_client: Client, demo: Assessment) -> None:
    html = assessor_client.get(EVIDENCE, HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "Hiển thị 50 trong số 601 mục" in html
    assert ">Trang sau</a>" in html and ">Trang cuối</a>" in html
    assert "Tìm kiếm" in html
