from django.urls import path

from readiness.fieldwork import views

app_name = "fieldwork"

# Included at the root before the assessments' and frameworks' own
# addresses, whose <framework>/<dimension>/ and <key>/<version>/ would take
# these.
SUBMISSIONS = "assessments/<slug:slug>/submissions/"
urlpatterns = [
    path("frameworks/<slug:key>/<str:version>/xlsform/", views.framework_xlsform, name="xlsform"),
    path(SUBMISSIONS, views.submissions, name="submissions"),
    path(SUBMISSIONS + "imports/", views.imports, name="imports"),
    path(SUBMISSIONS + "import/", views.import_submissions, name="import"),
    path(
        SUBMISSIONS + "proposals/<int:proposal_id>/accept/",
        views.decide,
        {"decision": "accept"},
        name="accept",
    ),
    path(
        SUBMISSIONS + "proposals/<int:proposal_id>/dismiss/",
        views.decide,
        {"decision": "dismiss"},
        name="dismiss",
    ),
]
