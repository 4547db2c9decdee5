from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from readiness.assessments.models import Evidence
from readiness.core.forms import date_input, shorten
from readiness.core.text import KEY, LONG, NAME, SHORT, TextField
from readiness.fieldwork.models import PersonMet
from readiness.fieldwork.submissions import MAX_SUBMISSION_BYTES

MAX_VERSION = 2**53


class SubmissionsForm(forms.Form):
    file = forms.FileField(label=_("Export of the submissions"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "submissions-%s")
        super().__init__(*args, **kwargs)
        # Worded in the request's language: a lazy text filled in at import is not.
        self.fields["file"].help_text = gettext(
            "From KoboToolbox or ODK Central, as CSV, XLSX or JSON, at most %(size)d MiB."
        ) % {"size": MAX_SUBMISSION_BYTES // 2**20}


class DecisionForm(forms.Form):
    """Accepting or dismissing a proposal: the versions the assessor saw."""

    version = forms.IntegerField(min_value=1, max_value=MAX_VERSION)
    replace_rating_version = forms.IntegerField(min_value=1, max_value=MAX_VERSION, required=False)


# --- missions, meetings, people met, passages cited ------------------------------


def split_list(text: str) -> list[str]:
    """The items of a comma-separated list, without blanks."""
    return [part.strip() for part in text.split(",") if part.strip()]


class MissionForm(forms.Form):
    key = forms.SlugField(
        label=_("Key"),
        max_length=KEY,
        help_text=_("Lower-case letters, digits and hyphens; names the mission in addresses."),
    )
    name = TextField(label=_("Name"), max_length=NAME)
    start_date = forms.DateField(label=_("First day"), widget=date_input())
    end_date = forms.DateField(label=_("Last day"), widget=date_input())
    places = TextField(label=_("Places"), max_length=NAME, required=False)
    team = TextField(
        label=_("Team"),
        max_length=LONG,
        required=False,
        help_text=_("User names of members of the assessment, separated by commas."),
    )
    version = forms.IntegerField(
        required=False, min_value=1, max_value=MAX_VERSION, widget=forms.HiddenInput
    )

    CHANGES = ("name", "start_date", "end_date", "places", "team")

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "mission-%s")
        super().__init__(*args, **kwargs)
        if editing:  # a mission keeps its key: addresses name it
            del self.fields["key"]

    @staticmethod
    def initial_of(mission: Any) -> dict[str, Any]:
        return {
            "name": mission.name,
            "start_date": mission.start_date,
            "end_date": mission.end_date,
            "places": mission.places,
            "team": ", ".join(sorted(user.username for user in mission.team.all())),
            "version": mission.version,
        }

    def changes(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            name: split_list(data[name]) if name == "team" else data[name] for name in self.CHANGES
        }


class MeetingForm(forms.Form):
    date = forms.DateField(
        label=_("Date"),
        required=False,
        widget=date_input(),
        help_text=_("A day of the mission; leave empty when it is not known."),
    )
    organisations = TextField(
        label=_("Organisations met"),
        max_length=LONG,
        required=False,
        help_text=_("Their acronyms in the register, separated by commas, e.g. APCA, MIC."),
    )
    topics = TextField(label=_("Topics"), max_length=NAME, required=False)
    notes = TextField(
        label=_("Notes"),
        max_length=LONG,
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Passages of the notes can be cited as evidence."),
    )
    version = forms.IntegerField(
        required=False, min_value=1, max_value=MAX_VERSION, widget=forms.HiddenInput
    )

    CHANGES = ("date", "organisations", "topics", "notes")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "meeting-%s")
        super().__init__(*args, **kwargs)

    @staticmethod
    def initial_of(meeting: Any) -> dict[str, Any]:
        return {
            "date": meeting.date,
            "organisations": ", ".join(sorted(o.abbreviation for o in meeting.organisations.all())),
            "topics": meeting.topics,
            "notes": meeting.notes,
            "version": meeting.version,
        }

    def changes(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            name: split_list(data[name]) if name == "organisations" else data[name]
            for name in self.CHANGES
        }


class PersonForm(forms.Form):
    name = TextField(label=_("Name"), max_length=NAME)
    title = TextField(label=_("Title"), max_length=NAME, required=False)
    organisation = TextField(
        label=_("Organisation"),
        max_length=NAME,
        required=False,
        help_text=_("Its acronym in the register, e.g. APCA."),
    )
    contact = TextField(
        label=_("Contact"),
        max_length=SHORT,
        required=False,
        help_text=_("Only if the person gave one."),
    )
    consent = forms.ChoiceField(label=_("Consent to be named"), choices=PersonMet.Consent.choices)
    consent_date = forms.DateField(label=_("Consent given on"), required=False, widget=date_input())
    version = forms.IntegerField(
        required=False, min_value=1, max_value=MAX_VERSION, widget=forms.HiddenInput
    )

    CHANGES = ("name", "title", "organisation", "contact", "consent", "consent_date")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "person-%s")
        super().__init__(*args, **kwargs)

    @staticmethod
    def initial_of(person: Any) -> dict[str, Any]:
        return {
            "name": person.name,
            "title": person.title,
            "organisation": person.organisation.abbreviation if person.organisation else "",
            "contact": person.contact,
            "consent": person.consent,
            "consent_date": person.consent_date,
            "version": person.version,
        }

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.CHANGES}


class AttendanceForm(forms.Form):
    """Recording a person at a meeting, or removing them from it."""

    meeting = forms.IntegerField(label=_("Meeting"), min_value=1, max_value=MAX_VERSION)
    action = forms.ChoiceField(choices=[("attend", _("Attended")), ("leave", _("Did not attend"))])


class PassageForm(forms.Form):
    question = forms.TypedChoiceField(label=_("Evidence for the question"), coerce=int)
    passage = TextField(
        label=_("Passage of the notes"),
        max_length=LONG,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Copied from the notes as they are written."),
    )
    sign = forms.ChoiceField(
        label=_("Sign"), choices=Evidence.Sign.choices, initial=Evidence.Sign.MIXED
    )

    def __init__(self, *args: Any, questions: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "passage-%s")
        super().__init__(*args, **kwargs)
        self.questions = {question.pk: question for question in questions}
        self.fields["question"].choices = [  # type: ignore[attr-defined]
            ("", _("— choose —")),
            *(
                (pk, f"{question.framework.key.upper()} {question.key}. {shorten(question)}")
                for pk, question in self.questions.items()
            ),
        ]
