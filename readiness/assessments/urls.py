from django.urls import path

from readiness.assessments import views

app_name = "assessments"

urlpatterns = [
    path("", views.assessment_list, name="list"),
    path("new/", views.assessment_create, name="create"),
    path("<slug:slug>/", views.assessment_overview, name="overview"),
    path(
        "<slug:slug>/questions/<int:question_id>/evidence/",
        views.add_evidence,
        name="add-evidence",
    ),
    path(
        "<slug:slug>/questions/<int:question_id>/rating/",
        views.rate_question,
        name="rate-question",
    ),
    path("<slug:slug>/details/", views.edit_details, name="edit-details"),
    path("<slug:slug>/evidence/", views.evidence_list, name="evidence-list"),
    path("<slug:slug>/evidence/<int:evidence_id>/edit/", views.edit_evidence, name="edit-evidence"),
    path(
        "<slug:slug>/evidence/<int:evidence_id>/delete/",
        views.delete_evidence,
        name="delete-evidence",
    ),
    path("<slug:slug>/team/", views.set_member, name="set-member"),
    path("<slug:slug>/assignments/", views.assignments, name="assignments"),
    path("<slug:slug>/my-questions/", views.my_questions, name="my-questions"),
    path("<slug:slug>/rating-mode/", views.set_rating_mode, name="rating-mode"),
    path(
        "<slug:slug>/questions/<int:question_id>/history/",
        views.question_history,
        name="question-history",
    ),
    path("<slug:slug>/history/<int:change_id>/restore/", views.restore_change, name="restore"),
    path(
        "<slug:slug>/<slug:framework_key>/<str:dimension_key>/reconcile/",
        views.reconcile,
        name="reconcile",
    ),
    path(
        "<slug:slug>/<slug:framework_key>/<str:dimension_key>/",
        views.dimension_page,
        name="dimension",
    ),
    path(
        "<slug:slug>/<slug:framework_key>/<str:dimension_key>/verdict/",
        views.record_verdict,
        name="record-verdict",
    ),
]
