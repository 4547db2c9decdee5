from django.urls import path

from readiness.actionplans import views

app_name = "actionplans"

urlpatterns = [
    path("<slug:slug>/plan/", views.plan_page, name="plan"),
    path("<slug:slug>/plan/grid/", views.grid_page, name="grid"),
    path("<slug:slug>/plan/list/", views.action_list, name="action-list"),
    path("<slug:slug>/plan/actions/", views.add_action, name="add-action"),
    path("<slug:slug>/plan/<slug:key>/progress/", views.record_progress, name="progress"),
    path("<slug:slug>/plan/<slug:key>/edit/", views.edit_action, name="edit-action"),
    path("<slug:slug>/plan/<slug:key>/delete/", views.delete_action, name="delete-action"),
    path(
        "<slug:slug>/plan/deleted/<int:change_id>/restore/",
        views.restore_action,
        name="restore-action",
    ),
    path("<slug:slug>/plan/export.xlsx", views.export_xlsx, name="export-xlsx"),
    path("<slug:slug>/plan/import/", views.import_xlsx, name="import-xlsx"),
]
