from django.urls import path

from readiness.reports import views

app_name = "reports"

urlpatterns = [
    path("assessments/<slug:slug>/reports/", views.reports_page, name="list"),
    path("assessments/<slug:slug>/reports/jobs/", views.jobs_fragment, name="jobs"),
    path(
        "assessments/<slug:slug>/reports/<int:report_id>/download/",
        views.download,
        name="download",
    ),
    path("assessments/<slug:slug>/report/", views.preview, name="preview"),
    path(
        "published/<slug:slug>/reports/<int:report_id>/",
        views.published_file,
        name="published-file",
    ),
]
