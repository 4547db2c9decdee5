"""The plan's Gantt chart on the plan page, drawn by the report's chart code
(content.plan_gantt, charts.gantt_svg). A template tag, so that the
actionplans app, below reports, need not import it."""

import datetime

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from readiness.actionplans.models import Action
from readiness.reports.charts import gantt_svg
from readiness.reports.content import plan_gantt

register = template.Library()


@register.simple_tag
def plan_gantt_figure(
    actions: list[Action], critical: list[Action], plan_start: datetime.date | None
) -> SafeString:
    if not actions:
        return SafeString("")
    gantt = plan_gantt(
        [(a.key, a.title, a.start_month, a.duration_months) for a in actions],
        [a.key for a in critical],
        plan_start,
    )
    # The actions' list and the month grid say the same in text: the drawing
    # is hidden from screen readers, which would read its labels out of order.
    return format_html(
        '<figure class="gantt"><div class="gantt-drawing" aria-hidden="true">{}</div>'
        "<figcaption>{}</figcaption></figure>",
        mark_safe(gantt_svg(gantt)),  # drawn by us from stored text matplotlib escapes
        gantt.caption,
    )
