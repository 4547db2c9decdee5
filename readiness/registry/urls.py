from django.urls import path

from readiness.registry import views

app_name = "registry"

urlpatterns = [
    path("", views.register_index, name="index"),
    path("jurisdictions/options/", views.jurisdiction_options, name="jurisdiction-options"),
    path("organisations/<str:country>/", views.organisation_list, name="organisations"),
    path("organisations/<str:country>/add/", views.organisation_add, name="organisation-add"),
    path(
        "organisations/<str:country>/export.csv",
        views.organisation_export,
        name="organisations-export",
    ),
    path(
        "organisations/<str:country>/import/",
        views.organisation_import,
        name="organisations-import",
    ),
    path(
        "organisations/<str:country>/<str:abbreviation>/edit/",
        views.organisation_edit,
        name="organisation-edit",
    ),
    path(
        "organisations/<str:country>/<str:abbreviation>/delete/",
        views.organisation_delete,
        name="organisation-delete",
    ),
]
