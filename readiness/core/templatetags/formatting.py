"""Template filters over readiness.core.formatting (see its docstring):
`{{ day|long_date }}`, `{{ day|short_date }}`, `{{ moment|date_time }}`,
`{{ day|month_year }}`, `{{ day|short_month }}`, `{{ value|number }}`,
`{{ value|number:2 }}`, `{{ value|percent }}` and
`{% cost_range low high currency %}`."""

from django import template

from readiness.core import formatting

register = template.Library()

register.filter("long_date", formatting.long_date)
register.filter("short_date", formatting.short_date)
register.filter("date_time", formatting.date_time)
register.filter("month_year", formatting.month_year)
register.filter("short_month", formatting.short_month)
register.filter("number", formatting.number)
register.filter("percent", formatting.percent)
register.simple_tag(formatting.cost_range, name="cost_range")
