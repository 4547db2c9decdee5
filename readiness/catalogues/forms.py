"""The inventory's web forms: a catalogue, a dataset with its distributions,
an upload, a harvest and a citation. They check what a browser can get wrong
(types, lengths, required fields); the services check everything again."""

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from readiness.catalogues.models import Catalogue
from readiness.catalogues.records import LIST_SEPARATOR, Access, Recommendation
from readiness.core.forms import date_input, shorten
from readiness.core.text import KEY, LONG, NAME, SHORT, URL, TextField

# The harvest's bounds, as the form offers them (the service enforces its own).
HARVEST_MAX_DATASETS = 100_000
HARVEST_MAX_SECONDS = 3_600


class CatalogueForm(forms.Form):
    key = forms.SlugField(
        label=_("Key"),
        max_length=KEY,
        help_text=_("Lower-case letters, digits and hyphens; names the catalogue in addresses."),
    )
    title = TextField(label=_("Title"), max_length=NAME)
    kind = forms.ChoiceField(label=_("Kind"), choices=Catalogue.Kind.choices)
    url = forms.URLField(
        label=_("Address of the portal or its API"),
        max_length=URL,
        required=False,
        assume_scheme="https",
    )
    description = TextField(
        label=_("Description"),
        max_length=LONG,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    CHANGES = ("title", "kind", "url", "description")

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "catalogue-%s")
        super().__init__(*args, **kwargs)
        if editing:  # a catalogue keeps its key: addresses and exports name it
            del self.fields["key"]


class DatasetForm(forms.Form):
    identifier = TextField(
        label=_("Identifier"),
        max_length=URL,
        required=False,
        help_text=_("Its key in the catalogue; made from the title when left empty."),
    )
    title = TextField(label=_("Title"), max_length=NAME)
    description = TextField(
        label=_("Description"),
        max_length=LONG,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    publisher = TextField(
        label=_("Publisher"),
        max_length=NAME,
        required=False,
        help_text=_("A name or an abbreviation; matched to the organisations register."),
    )
    landing_page = forms.URLField(
        label=_("Landing page"), max_length=URL, required=False, assume_scheme="https"
    )
    licence = TextField(
        label=_("Licence"),
        max_length=URL,
        required=False,
        help_text=_("An identifier such as CC-BY-4.0, or the licence's address."),
    )
    access = forms.ChoiceField(label=_("Access"), choices=Access.choices, initial=Access.ONLINE)
    access_rights = TextField(label=_("Access rights"), max_length=URL, required=False)
    update_frequency = TextField(label=_("Update frequency"), max_length=URL, required=False)
    themes = TextField(
        label=_("Themes"),
        max_length=LONG,
        required=False,
        help_text=_("Separated by semicolons."),
    )
    keywords = TextField(
        label=_("Keywords"),
        max_length=LONG,
        required=False,
        help_text=_("Separated by semicolons."),
    )
    temporal_start = forms.DateField(label=_("Covers from"), required=False, widget=date_input())
    temporal_end = forms.DateField(label=_("Covers until"), required=False, widget=date_input())
    spatial = TextField(label=_("Spatial coverage"), max_length=URL, required=False)
    issued = forms.DateField(label=_("Issued"), required=False, widget=date_input())
    modified = forms.DateField(label=_("Modified"), required=False, widget=date_input())
    contact_point = TextField(label=_("Contact point"), max_length=NAME, required=False)
    recommendation = forms.ChoiceField(
        label=_("Recommendation"),
        choices=[("", _("— none —")), *Recommendation.choices],
        required=False,
    )
    recommendation_reason = TextField(
        label=_("Reason for the recommendation"),
        max_length=LONG,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    notes = TextField(
        label=_("Notes"), max_length=LONG, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    LISTS = ("themes", "keywords")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "dataset-%s")
        super().__init__(*args, **kwargs)

    @classmethod
    def initial_of(cls, dataset: Any) -> dict[str, Any]:
        """The form's values for a stored dataset."""
        names = [name for name in cls.base_fields if name not in ("version", "publisher")]
        values = {name: getattr(dataset, name) for name in names}
        for name in cls.LISTS:
            values[name] = LIST_SEPARATOR.join(values[name])
        values["publisher"] = (
            dataset.publisher.abbreviation if dataset.publisher else dataset.publisher_name
        )
        values["version"] = dataset.version
        return values

    def fields_for_service(self) -> dict[str, Any]:
        """The cleaned values as create_dataset/update_dataset take them."""
        data = {name: value for name, value in self.cleaned_data.items() if name != "version"}
        for name in self.LISTS:
            data[name] = [part.strip() for part in data[name].split(";") if part.strip()]
        return data


class DistributionForm(forms.Form):
    title = TextField(label=_("Title"), max_length=NAME, required=False)
    format = TextField(label=_("Format"), max_length=SHORT, required=False)
    media_type = TextField(label=_("Media type"), max_length=SHORT, required=False)
    access_url = forms.URLField(
        label=_("Access URL"), max_length=URL, required=False, assume_scheme="https"
    )
    download_url = forms.URLField(
        label=_("Download URL"), max_length=URL, required=False, assume_scheme="https"
    )
    byte_size = forms.IntegerField(label=_("Size in bytes"), min_value=0, required=False)
    licence = TextField(label=_("Licence of this distribution"), max_length=URL, required=False)

    FIELDS = ("title", "format", "media_type", "access_url", "download_url", "byte_size", "licence")


class BaseDistributionFormSet(forms.BaseFormSet):
    def distributions(self) -> list[dict[str, Any]]:
        """The distributions kept: each form filled in and not marked for deletion."""
        return [
            {name: form.cleaned_data.get(name) for name in DistributionForm.FIELDS}
            for form in self.forms
            if form.has_changed() and not form.cleaned_data.get("DELETE")
        ]


DistributionFormSet = forms.formset_factory(
    DistributionForm,
    formset=BaseDistributionFormSet,
    extra=1,
    can_delete=True,
    max_num=200,
    validate_max=True,
)


def distribution_formset(data: Any = None, dataset: Any = None) -> BaseDistributionFormSet:
    initial = (
        [
            {name: getattr(d, name) for name in DistributionForm.FIELDS}
            for d in dataset.distributions.all()
        ]
        if dataset is not None
        else None
    )
    return cast(
        BaseDistributionFormSet, DistributionFormSet(data, initial=initial, prefix="distribution")
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Catalogue file"),
        help_text=_(
            "CKAN JSON (package_search, current_package_list_with_resources or package_show), "
            "DCAT (RDF/XML, Turtle, JSON-LD), or the inventory spreadsheet (CSV, XLSX)."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "import-%s")
        super().__init__(*args, **kwargs)


class HarvestForm(forms.Form):
    url = forms.URLField(
        label=_("Address of the portal's API"),
        max_length=URL,
        assume_scheme="https",
        help_text=_(
            "A CKAN portal's address, such as https://data.example.org/api/3/action/; for a "
            "DCAT catalogue, the address of its first page (paged with Hydra)."
        ),
    )
    max_datasets = forms.IntegerField(
        label=_("At most this many datasets"),
        min_value=1,
        max_value=HARVEST_MAX_DATASETS,
        initial=1_000,
    )
    max_seconds = forms.IntegerField(
        label=_("At most this many seconds"),
        min_value=1,
        max_value=HARVEST_MAX_SECONDS,
        initial=600,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "harvest-%s")
        super().__init__(*args, **kwargs)


class CiteForm(forms.Form):
    question = forms.TypedChoiceField(label=_("Evidence for the question"), coerce=int)

    def __init__(self, *args: Any, questions: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "cite-%s")
        super().__init__(*args, **kwargs)
        self.questions = {question.pk: question for question in questions}
        self.fields["question"].choices = [  # type: ignore[attr-defined]
            ("", _("— choose —")),
            *(
                (pk, f"{question.framework.key.upper()} {question.key}. {shorten(question)}")
                for pk, question in self.questions.items()
            ),
        ]
