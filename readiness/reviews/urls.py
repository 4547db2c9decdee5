from django.urls import path

from readiness.reviews import views

app_name = "reviews"

urlpatterns = [
    path("assessments/<slug:slug>/comments/", views.add_comment, name="add-comment"),
    path(
        "assessments/<slug:slug>/comments/<int:comment_id>/resolution/",
        views.resolve_thread,
        name="resolve-thread",
    ),
    path("assessments/<slug:slug>/workflow/", views.move_workflow, name="move-workflow"),
    path("published/", views.published_list, name="published-list"),
    path("published/<slug:slug>/", views.published, name="published"),
]
