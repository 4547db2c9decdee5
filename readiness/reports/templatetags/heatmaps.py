"""The heat map of dimension verdicts on the web pages (the overview of a
working draft and the published version), drawn by the report's chart code.
A template tag, so that the assessments and reviews apps, below reports,
need not import it."""

from collections.abc import Iterable

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from readiness.assessments.selectors import FrameworkState
from readiness.core.bilingual import pick
from readiness.frameworks.models import Dimension, Framework, RatingLevel
from readiness.reports.charts import heatmap_svg
from readiness.reports.content import mark
from readiness.reports.document import HeatMap
from readiness.reviews.selectors import PublishedFramework

register = template.Library()


def heatmap_figure(
    framework: Framework, verdicts: Iterable[tuple[Dimension, RatingLevel | None]]
) -> SafeString:
    heatmap = HeatMap(
        caption=_("Dimension verdicts (%(framework)s)")
        % {"framework": pick(framework.short_title)},
        tiles=tuple((f"{d.key}. {pick(d.title)}", mark(level)) for d, level in verdicts),
        no_verdict=_("No verdict yet"),
    )
    # The summary table beside it says the same in text: the drawing is hidden
    # from screen readers, which would read its tiles out of order.
    return format_html(
        '<figure class="heatmap"><div class="heatmap-drawing" aria-hidden="true">{}</div>'
        "<figcaption>{}</figcaption></figure>",
        mark_safe(heatmap_svg(heatmap)),  # drawn by us from stored text matplotlib escapes
        heatmap.caption,
    )


@register.simple_tag
def overview_heatmap(state: FrameworkState) -> SafeString:
    return heatmap_figure(
        state.framework,
        ((d.dimension, d.verdict.level if d.verdict else None) for d in state.dimensions),
    )


@register.simple_tag
def published_heatmap(published: PublishedFramework) -> SafeString:
    return heatmap_figure(
        published.framework, ((d.dimension, d.level) for d in published.dimensions)
    )
