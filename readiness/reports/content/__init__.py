"""What the report says, in the structure of the World Bank's readiness
assessment reports: cover, contents, introduction, then per framework the
executive summary, methodology, one section per dimension, conclusion and
action plan, and the data annex. Built once per language as a Document that
every format renders. Framework texts come from the framework data; the
report's own headings and labels are translated here.

The modules hold one part of the report each; this package names what the
rest of the project uses, so that it keeps importing `readiness.reports.content`."""

from readiness.reports.content._common import mark
from readiness.reports.content.plans import cost_text, plan_gantt
from readiness.reports.content.report import compose

__all__ = ["compose", "cost_text", "mark", "plan_gantt"]
