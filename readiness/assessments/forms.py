from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from readiness.assessments.models import Assessment, Evidence
from readiness.core.text import KEY, LONG, NAME, SHORT, SLUG, URL, TextField
from readiness.frameworks.models import Framework
from readiness.registry.forms import JurisdictionField


class AssessmentForm(forms.Form):
    title = TextField(label=_("Title"), max_length=NAME)
    slug = forms.SlugField(
        label=_("Short name"),
        max_length=SLUG,
        help_text=_("Used in addresses and on the command line, e.g. vietnam-2019."),
    )
    subject_kind = forms.ChoiceField(label=_("Subject"), choices=Assessment.SubjectKind.choices)
    subject_code = JurisdictionField(
        label=_("ISO 3166 code"),
        help_text=_(
            "Type a name or code and choose: country VN, province VN-HN; "
            "for an agency, its country."
        ),
    )
    subject_name = TextField(label=_("Agency name"), max_length=NAME, required=False)
    period_start = forms.DateField(
        label=_("Period start"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    period_end = forms.DateField(
        label=_("Period end"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    description = TextField(
        label=_("Description"), max_length=LONG, required=False, widget=forms.Textarea
    )
    frameworks = forms.ModelMultipleChoiceField(
        label=_("Frameworks"),
        queryset=Framework.objects.all(),
        widget=forms.CheckboxSelectMultiple,
    )


class AssessmentDetailsForm(AssessmentForm):
    """The details an assessment's lead may change later: the create form
    without the short name and the frameworks, and with the version seen."""

    DETAILS = [
        "title",
        "subject_kind",
        "subject_code",
        "subject_name",
        "period_start",
        "period_end",
        "description",
    ]
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["slug"], self.fields["frameworks"]


class EvidenceForm(forms.Form):
    sign = forms.ChoiceField(label=_("Sign"), choices=Evidence.Sign.choices)
    text = TextField(label=_("Evidence"), max_length=LONG, widget=forms.Textarea(attrs={"rows": 3}))
    source_kind = forms.ChoiceField(label=_("Source"), choices=Evidence.SourceKind.choices)
    reference_title = TextField(label=_("Reference"), max_length=NAME, required=False)
    reference_url = forms.URLField(
        label=_("Reference URL"), max_length=URL, required=False, assume_scheme="https"
    )
    date = forms.DateField(
        label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    author = TextField(label=_("Collected by"), max_length=SHORT, required=False)
    # Set when an existing item is edited: the version the edit is based on.
    version = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)


class RatingForm(forms.Form):
    level = forms.CharField(label=_("Rating"), max_length=KEY)
    rationale = TextField(
        label=_("Rationale"), max_length=LONG, required=False, widget=forms.Textarea
    )
    cited_evidence = forms.TypedMultipleChoiceField(
        label=_("Cited evidence"), coerce=int, required=False
    )
    version = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args: object, evidence_ids: list[int], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["cited_evidence"].choices = [(i, str(i)) for i in evidence_ids]  # type: ignore[attr-defined]


class VerdictForm(forms.Form):
    level = forms.CharField(label=_("Overall rating"), max_length=KEY)
    importance = forms.CharField(label=_("Importance"), max_length=KEY, required=False)
    commentary = TextField(
        label=_("Commentary"), max_length=LONG, required=False, widget=forms.Textarea
    )
    override_reason = TextField(
        label=_("Why the verdict differs from the suggestion"),
        max_length=LONG,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    version = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
