from django.urls import path

from readiness.catalogues import views

app_name = "catalogues"

# Under assessments/<slug>/inventory/: included before the assessments' own
# addresses, whose <framework>/<dimension>/ would take these. Catalogues are
# under catalogues/, so that no key can hide the summary or the exports.
urlpatterns = [
    path("<slug:slug>/inventory/", views.inventory, name="inventory"),
    path("<slug:slug>/inventory/summary/", views.summary, name="summary"),
    path("<slug:slug>/inventory/cite/", views.cite, name="cite"),
    path("<slug:slug>/inventory/export/<slug:fmt>/", views.export, name="export"),
    path("<slug:slug>/inventory/new-catalogue/", views.add_catalogue, name="catalogue-add"),
    path("<slug:slug>/inventory/catalogues/<slug:key>/", views.catalogue_page, name="catalogue"),
    path(
        "<slug:slug>/inventory/catalogues/<slug:key>/edit/",
        views.edit_catalogue,
        name="catalogue-edit",
    ),
    path(
        "<slug:slug>/inventory/catalogues/<slug:key>/delete/",
        views.delete_catalogue,
        name="catalogue-delete",
    ),
    path("<slug:slug>/inventory/catalogues/<slug:key>/import/", views.import_file, name="import"),
    path("<slug:slug>/inventory/catalogues/<slug:key>/harvest/", views.harvest, name="harvest"),
    path(
        "<slug:slug>/inventory/catalogues/<slug:key>/link-check/",
        views.check_links,
        name="link-check",
    ),
    path(
        "<slug:slug>/inventory/catalogues/<slug:key>/runs/<int:run_id>/", views.run_page, name="run"
    ),
    path(
        "<slug:slug>/inventory/catalogues/<slug:key>/datasets/new/",
        views.add_dataset,
        name="dataset-add",
    ),
    path(
        "<slug:slug>/inventory/catalogues/<slug:key>/datasets/<int:dataset_id>/",
        views.dataset_page,
        name="dataset",
    ),
    path(
        "<slug:slug>/inventory/catalogues/<slug:key>/datasets/<int:dataset_id>/edit/",
        views.edit_dataset,
        name="dataset-edit",
    ),
    path(
        "<slug:slug>/inventory/catalogues/<slug:key>/datasets/<int:dataset_id>/delete/",
        views.delete_dataset,
        name="dataset-delete",
    ),
]
