from django_tasks import task

from readiness.reports import services


@task()
def render_report(report_id: int) -> None:
    services.run_report(report_id)
