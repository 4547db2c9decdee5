"""The plan people can read: by dimension in the framework's order, the
critical path by title, a grid that scrolls in its own box with the keyboard,
and the plan's Gantt chart drawn by the report's chart code."""

import datetime
import re

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from readiness.actionplans.models import Action
from readiness.assessments.models import Assessment
from readiness.reports import content, services
from readiness.reports.charts import gantt_svg
from readiness.reports.document import Gantt, GanttBar
from readiness.reports.formats import html
from tests.conftest import client_for

pytestmark = pytest.mark.django_db
PLAN = "/assessments/vietnam-2019/plan/"
DGRA_DIMENSIONS = [  # the framework file's order
    "DGRA 1. Leadership and Governance",
    "DGRA 2. User Focus",
    "DGRA 3. Business Process Change",
    "DGRA 4. Capabilities, Culture and Skills",
    "DGRA 5. Shared Infrastructure",
    "DGRA 6. Data Driven",
    "DGRA 7. Cybersecurity, Privacy and Resilience",
]


def test_progress_by_dimension_follows_the_frameworks_order(assessor: User) -> None:
    page = client_for(assessor).get(PLAN).content.decode()
    table = page.split('id="progress-by-dimension"')[1].split("</table>")[0]
    labels = re.findall(r'<th scope="row">(.*?)</th>', table)
    assert labels[:7] == DGRA_DIMENSIONS
    odra = [int(label.split()[1].rstrip(".")) for label in labels[7:]]
    assert all(label.startswith("ODRA ") for label in labels[7:])
    assert odra == sorted(odra) and len(odra) == len(set(odra))


def test_the_action_list_follows_the_frameworks_order_even_when_later_actions_start_first(
    assessor: User, demo: Assessment
) -> None:
    # The last dimension's action moved to month 1: the list keeps dimension 7 last.
    Action.objects.filter(assessment=demo, key="dgra-cy-2").update(start_month=1)
    page = client_for(assessor).get(PLAN).content.decode()
    headings = re.findall(r"<h2>DGRA (\d+)\. ", page)
    assert headings == ["1", "2", "3", "4", "5", "6", "7"]


def test_the_critical_path_is_named_by_titles(assessor: User, demo: Assessment) -> None:
    # dgra-uf-2 waits for dgra-lg-1 (months 1–6); 60 months make theirs the longest
    # chain (the demo's longest, odra-l-4, takes 48 months and waits for nothing).
    Action.objects.filter(assessment=demo, key="dgra-uf-2").update(
        start_month=7, duration_months=60
    )
    first = Action.objects.get(assessment=demo, key="dgra-lg-1").title
    second = Action.objects.get(assessment=demo, key="dgra-uf-2").title
    for url, anchor in ((PLAN, "action"), (PLAN + "grid/", "grid")):
        page = client_for(assessor).get(url).content.decode()
        path = page.split('<p class="critical-path">')[1].split("</p>")[0]
        links = re.findall(rf'<a href="#{anchor}-([a-z0-9-]+)">(.*?)</a>', path)
        assert links == [("dgra-lg-1", first), ("dgra-uf-2", second)]
        assert " → " in path


def test_the_grid_scrolls_in_a_box_the_keyboard_reaches(assessor: User) -> None:
    page = client_for(assessor).get(PLAN + "grid/").content.decode()
    box = re.search(r'<div class="grid-scroll"([^>]*)>', page)
    assert box is not None
    assert 'role="region"' in box.group(1) and 'tabindex="0"' in box.group(1)
    assert 'aria-label="Actions by month (scrolls sideways)"' in box.group(1)
    # Each month head in a box of its own, written upwards (app.css), not run together.
    assert '<th scope="col" class="month"><span>Apr 2019</span></th>' in page


def test_the_plan_tables_scroll_in_their_own_box(assessor: User) -> None:
    page = client_for(assessor).get(PLAN).content.decode()
    for caption in ("progress-by-dimension", "progress-by-agency"):
        assert (
            f'<div class="table-scroll" role="region" aria-labelledby="{caption}" tabindex="0">'
            in page
        )


def test_the_plan_page_shows_the_gantt_chart_of_its_actions(
    assessor: User, demo: Assessment
) -> None:
    page = client_for(assessor).get(PLAN).content.decode()
    figure = re.search(r'<figure class="gantt">.*?</figure>', page, re.S)
    assert figure is not None
    drawing = figure.group(0)
    assert "<svg" in drawing and "<style" not in drawing  # the page's CSP refuses inline style
    assert 'aria-hidden="true"' in drawing  # the list and the grid say it in text
    assert ">Develop IT spend control policy</text>" in drawing
    assert "Gantt chart: each action&#x27;s months" in drawing


def test_the_plan_page_in_vietnamese_labels_the_gantt_chart_in_vietnamese(
    assessor: User,
) -> None:
    page = client_for(assessor).get(PLAN, headers={"accept-language": "vi"}).content.decode()
    drawing = re.search(r'<figure class="gantt">.*?</figure>', page, re.S)
    assert drawing is not None
    assert "đường găng" in drawing.group(0) and "Tháng của kế hoạch" in drawing.group(0)


def test_the_gantt_chart_marks_the_critical_path_beside_its_colour() -> None:
    gantt = Gantt(
        caption="A plan",
        bars=(
            GanttBar("Set up the authority", 1, 6, True),
            GanttBar("Write the strategy", 2, 4, False),
        ),
        months=12,
        month_label="Month",
        critical_label="critical path",
        other_label="other actions",
    )
    drawing = gantt_svg(gantt)
    assert ">* Set up the authority</text>" in drawing
    assert ">Write the strategy</text>" in drawing
    assert ">* critical path</text>" in drawing and ">other actions</text>" in drawing


def test_a_dollar_in_a_title_is_drawn_as_text() -> None:
    bars = (GanttBar("Budget $5m for $ pilots", 1, 2, False),)
    drawing = gantt_svg(Gantt("c", bars, 12, "Month", "critical path", "other actions"))
    assert ">Budget $5m for $ pilots</text>" in drawing


def test_the_report_draws_the_same_gantt_chart_as_the_plan_page(demo: Assessment) -> None:
    document = content.compose(services.report_source(demo, None), "en")
    charts = [b for b in document.blocks if isinstance(b, Gantt)]
    assert len(charts) == 2  # one per framework with a plan
    dgra = charts[0]
    assert len(dgra.bars) == demo.actions.filter(dimensions__framework__key="dgra").count()
    spend = next(b for b in dgra.bars if b.label == "Develop IT spend control policy")
    assert (spend.start, spend.end) == (1, 8)  # months 1–8 in the demo plan
    page = html.page(document)
    assert page.count('alt="Gantt chart: each action&#x27;s months') == 2


def test_the_report_names_the_critical_path_by_titles(demo: Assessment) -> None:
    document = content.compose(services.report_source(demo, None), "en")
    path = next(b for b in document.blocks if getattr(b, "lead", "") == "Critical path:")
    assert "dgra-" not in path.text
    assert " → " in path.text


def test_the_plan_page_flags_as_overdue_exactly_what_the_overdue_filter_finds(
    assessor: User, demo: Assessment
) -> None:
    # Month 7 of a plan that started on the 28th six months ago: actions ending
    # in month 6 or before are late, those ending this month are not (yet).
    today = timezone.localdate()
    months_back = today.year * 12 + today.month - 1 - 6
    start = datetime.date(months_back // 12, months_back % 12 + 1, 28)
    Assessment.objects.filter(pk=demo.pk).update(plan_start=start)
    actions = Action.objects.filter(assessment=demo)
    actions.update(start_month=1, duration_months=7, status="in_progress")
    actions.filter(key="dgra-lg-1").update(duration_months=6)
    actions.filter(key="dgra-uf-2").update(duration_months=6, status="done")
    actions.filter(key="dgra-cy-2").update(duration_months=2)

    client = client_for(assessor)
    page = client.get(PLAN).content.decode()
    flagged = {
        key
        for key, item in re.findall(
            r'<li id="action-([^"]+)" class="action[^"]*">(.*?)</li>', page, re.S
        )
        if '<span class="flag">overdue</span>' in item
    }
    found = client.get(
        "/api/v1/assessments/vietnam-2019/plan/actions?overdue=true&limit=500"
    ).json()["results"]
    assert flagged == {"dgra-lg-1", "dgra-cy-2"}
    assert {action["key"] for action in found} == flagged
