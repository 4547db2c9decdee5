from django.urls import path

from readiness.fieldwork.views import collection, missions

app_name = "fieldwork"

# Included at the root before the assessments' and frameworks' own
# addresses, whose <framework>/<dimension>/ and <key>/<version>/ would take
# these.
SUBMISSIONS = "assessments/<slug:slug>/submissions/"
urlpatterns = [
    path(
        "frameworks/<slug:key>/<str:version>/xlsform/", collection.framework_xlsform, name="xlsform"
    ),
    path(SUBMISSIONS, collection.submissions, name="submissions"),
    path(SUBMISSIONS + "imports/", collection.imports, name="imports"),
    path(SUBMISSIONS + "import/", collection.import_submissions, name="import"),
    path(
        SUBMISSIONS + "proposals/<int:proposal_id>/accept/",
        collection.decide,
        {"decision": "accept"},
        name="accept",
    ),
    path(
        SUBMISSIONS + "proposals/<int:proposal_id>/dismiss/",
        collection.decide,
        {"decision": "dismiss"},
        name="dismiss",
    ),
]

# Missions: "new/", "coverage/" and "people/…" before "<slug:key>/", which
# would take them (the services refuse those words as mission keys).
MISSIONS = "assessments/<slug:slug>/missions/"
PERSON = MISSIONS + "people/<int:person_id>/"
MISSION = MISSIONS + "<slug:key>/"
MEETING = MISSION + "meetings/<int:meeting_id>/"
urlpatterns += [
    path(MISSIONS, missions.missions, name="missions"),
    path(MISSIONS + "new/", missions.add_mission, name="mission-add"),
    path(MISSIONS + "coverage/", missions.coverage, name="coverage"),
    path(MISSIONS + "people/", missions.people, name="people"),
    path(MISSIONS + "people/new/", missions.add_person, name="person-add"),
    path(PERSON, missions.edit_person, name="person-edit"),
    path(PERSON + "meetings/", missions.attend, name="person-attend"),
    path(PERSON + "export/", missions.export_person, name="person-export"),
    path(PERSON + "erase/", missions.erase_person, name="person-erase"),
    path(MISSION, missions.mission, name="mission"),
    path(MISSION + "edit/", missions.edit_mission, name="mission-edit"),
    path(MISSION + "meetings/new/", missions.add_meeting, name="meeting-add"),
    path(MEETING, missions.meeting, name="meeting"),
    path(MEETING + "cite/", missions.cite, name="meeting-cite"),
    path(MEETING + "edit/", missions.edit_meeting, name="meeting-edit"),
]
