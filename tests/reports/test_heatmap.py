"""The heat map of dimension verdicts on the overview and the published page,
drawn by the report's chart code as SVG text."""

import re

import pytest
from django.test import Client
from django.utils import translation

from readiness.assessments.models import Assessment, DimensionVerdict
from readiness.assessments.permissions import State
from readiness.core.colours import readable_text_colour
from readiness.reports.charts import heatmap_svg
from readiness.reports.document import HeatMap, Mark
from readiness.reviews import services
from tests.conftest import client_for

pytestmark = pytest.mark.django_db
GREEN = Mark("Green", "#1a9641", "#000000")
RED = Mark("Red", "#d7191c", "#ffffff")


@pytest.fixture(autouse=True)
def restore_language():  # type: ignore[no-untyped-def]
    """A request in Vietnamese leaves Vietnamese active in the test's thread."""
    language = translation.get_language()
    yield
    translation.activate(language)


def heatmaps(html: str) -> list[str]:
    return re.findall(r'<figure class="heatmap">.*?</figure>', html, re.S)


def test_the_overview_shows_one_heat_map_per_framework_with_names_and_verdicts(
    demo: Assessment, lead
) -> None:  # type: ignore[no-untyped-def]
    html = client_for(lead).get("/assessments/vietnam-2019/").content.decode()
    found = heatmaps(html)
    assert len(found) == 2  # DGRA and ODRA
    dgra = found[0]
    assert "<svg" in dgra and "<style" not in dgra  # the page's CSP allows no inline <style>
    assert "Dimension verdicts (DGRA)" in dgra
    assert ">1. Leadership and</text>" in dgra and ">Governance</text>" in dgra
    assert 'aria-hidden="true"' in dgra  # the summary table above says it in text


def test_a_dimension_without_a_verdict_is_drawn_as_such(demo: Assessment, lead) -> None:  # type: ignore[no-untyped-def]
    DimensionVerdict.objects.filter(
        assessment=demo, dimension__framework__key="dgra", dimension__key="1"
    ).delete()
    dgra = heatmaps(client_for(lead).get("/assessments/vietnam-2019/").content.decode())[0]
    assert dgra.count("No verdict yet") == 1


def test_the_public_page_shows_the_heat_map_of_the_publication(
    demo: Assessment, lead, reviewer
) -> None:  # type: ignore[no-untyped-def]
    for actor, state in (
        (lead, State.IN_REVIEW),
        (reviewer, State.APPROVED),
        (lead, State.PUBLISHED),
    ):
        demo = services.move_to(actor=actor, assessment=demo, target=state)
    html = Client().get("/published/vietnam-2019/", headers={"accept-language": "vi"})
    found = heatmaps(html.content.decode())
    assert len(found) == 2
    assert "Kết luận theo khía cạnh" in found[0]


def test_the_drawing_writes_readable_text_on_each_colour_and_is_stable() -> None:
    heatmap = HeatMap("Verdicts", (("1. Leadership", GREEN), ("2. Users", None)), "No verdict yet")
    drawing = heatmap_svg(heatmap)
    assert drawing.startswith("<svg")
    assert "1. Leadership" in drawing and "No verdict yet" in drawing
    assert "fill: #1a9641" in drawing
    assert text_fills(drawing) == {"#333333"}  # black (the default) on green; grey on white
    with_red = heatmap_svg(HeatMap("Verdicts", (("3. Skills", RED),), "No verdict yet"))
    assert "fill: #d7191c" in with_red and text_fills(with_red) == {"#ffffff"}
    assert heatmap_svg(HeatMap("Verdicts", heatmap.tiles, "No verdict yet")) == drawing


def text_fills(drawing: str) -> set[str]:
    return set(re.findall(r'<text style="[^"]*fill: (#[0-9a-f]{6})', drawing))


def test_text_on_the_methods_colours_reaches_4_5_to_1() -> None:
    assert readable_text_colour("#1a9641", "#ffffff") == "#000000"  # white on green: 3.83:1
    assert readable_text_colour("#d7191c", "#ffffff") == "#ffffff"  # white on red: 5.19:1
    assert readable_text_colour("#ffd700", "#000000") == "#000000"
