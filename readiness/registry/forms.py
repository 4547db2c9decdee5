"""Form fields that pick from the registers, and the register's own form.

`OrganisationField` and `OrganisationsField` pick action owners from a
country's organisations register; `JurisdictionField` picks an ISO 3166
country or subdivision. None has a default: an empty required picker is an
error the user sees, never a silently chosen first entry."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.urls import reverse, reverse_lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from readiness.core.text import NAME, TextField
from readiness.registry import services
from readiness.registry.models import Jurisdiction, Organisation

# Entries a picker lists before the user types (a register has a few hundred at most).
MAX_PICKER_OPTIONS = 1_000


def in_language(names: dict[str, str]) -> tuple[str, str]:
    """The name in the user's language first, the other one second."""
    first = "vi" if (get_language() or "en").startswith("vi") else "en"
    second = "en" if first == "vi" else "vi"
    return names.get(first, ""), names.get(second, "")


def organisation_label(o: Organisation) -> str:
    """What a picker shows: acronyms, both names and the other names, so that
    typing any of them finds the entry."""
    first, second = in_language(o.name)
    acronyms = " / ".join(a for a in (o.abbreviation, o.abbreviation_vi) if a)
    parts = [acronyms, first]
    if second and second != first:
        parts.append(second)
    parts += o.aliases
    return " · ".join(parts)


def jurisdiction_label(j: Jurisdiction) -> str:
    first, second = in_language(j.name)
    return f"{first} ({second})" if second and second != first else first


class PickerInput(forms.TextInput):
    """A text box with a list of suggestions (`<input list>` + `<datalist>`):
    typed or chosen, the value is the entry's code."""

    template_name = "registry/_picker.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"autocomplete": "off", **(attrs or {})})
        # Read when the page is drawn: in the user's language, never at import.
        self.options: Callable[[], list[tuple[str, str]]] = list
        self.search_url: Any = ""  # where htmx asks for more suggestions as the user types
        self.add_url = ""  # where a missing entry can be added

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"].update(
            options=self.options(), search_url=self.search_url, add_url=self.add_url
        )
        return context


class OrganisationInput(PickerInput):
    template_name = "registry/_organisation_picker.html"


class OrganisationField(forms.CharField):
    """One organisation of a country's register, typed or chosen by acronym.
    Cleans to the Organisation."""

    widget = OrganisationInput

    def __init__(self, *, country: str, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", services.ACRONYM)
        super().__init__(**kwargs)
        self.country = country.upper()
        entries = list(services.search_organisations(self.country)[:MAX_PICKER_OPTIONS])
        self.organisations = {o.abbreviation: o for o in entries}
        self.widget.options = lambda: [(o.abbreviation, organisation_label(o)) for o in entries]
        self.widget.add_url = reverse("registry:organisation-add", args=[self.country])
        self.error_messages["required"] = _("Choose an organisation from the register.")

    def clean(self, value: Any) -> Organisation | None:
        text = super().clean(value)
        if not text:
            return None
        found = self.organisations.get(text) or next(
            (o for o in self.organisations.values() if text.lower() in acronyms(o)), None
        )
        if found is None:
            raise forms.ValidationError(
                _("%(name)s is not in the register of %(country)s: choose one, or add it first."),
                code="unknown",
                params={"name": text, "country": self.country},
            )
        return found


def acronyms(o: Organisation) -> set[str]:
    return {a.lower() for a in (o.abbreviation, o.abbreviation_vi) if a}


class OrganisationsField(forms.ModelMultipleChoiceField):
    """Several organisations of a country's register (supporting agencies),
    chosen from a list; none is chosen unless the user chooses it."""

    widget = forms.SelectMultiple

    def __init__(self, *, country: str, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(
            queryset=services.search_organisations(country), to_field_name="abbreviation", **kwargs
        )
        self.widget.attrs.setdefault("size", 8)

    def label_from_instance(self, obj: Organisation) -> str:
        return organisation_label(obj)


class JurisdictionField(forms.CharField):
    """An ISO 3166-1 country or ISO 3166-2 subdivision code, typed or picked
    from suggestions; the service checks it against the register."""

    widget = PickerInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 10)
        super().__init__(**kwargs)
        self.widget.options = lambda: [
            (j.code, jurisdiction_label(j))
            for j in Jurisdiction.objects.filter(level=Jurisdiction.Level.COUNTRY)
        ]
        self.widget.search_url = reverse_lazy("registry:jurisdiction-options")

    def clean(self, value: Any) -> str:
        return str(super().clean(value) or "").strip().upper()


class OrganisationForm(forms.Form):
    """An entry of the register as the web edits it."""

    abbreviation = forms.CharField(
        label=_("Acronym"),
        max_length=services.ACRONYM,
        help_text=_("Its key in the register: letters, digits, & _ -, e.g. MIC."),
    )
    abbreviation_vi = forms.CharField(
        label=_("Vietnamese acronym"), max_length=services.ACRONYM, required=False
    )
    name_en = TextField(label=_("Name in English"), max_length=NAME)
    name_vi = TextField(label=_("Name in Vietnamese"), max_length=NAME)
    kind = forms.ChoiceField(
        label=_("Type"), choices=[("", _("— choose —")), *Organisation.Kind.choices]
    )
    jurisdiction = JurisdictionField(
        label=_("Jurisdiction"),
        required=False,
        help_text=_("The country or one of its provinces (ISO 3166); empty: the country."),
    )
    parent = forms.CharField(
        label=_("Part of"),
        max_length=services.ACRONYM,
        required=False,
        help_text=_("The acronym of the organisation it belongs to, if any."),
    )
    aliases = TextField(
        label=_("Other names"),
        max_length=NAME * services.MAX_ALIASES,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One a line: former names, other spellings, other acronyms."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, country: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parent = self.fields["parent"]
        parent.widget = OrganisationInput()
        parent.widget.options = lambda: [
            (o.abbreviation, organisation_label(o)) for o in services.search_organisations(country)
        ]

    def entry(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "abbreviation": data["abbreviation"],
            "abbreviation_vi": data["abbreviation_vi"],
            "name": {"en": data["name_en"], "vi": data["name_vi"]},
            "kind": data["kind"],
            "jurisdiction": data["jurisdiction"],
            "parent": data["parent"],
            "aliases": [line.strip() for line in data["aliases"].splitlines() if line.strip()],
        }

    @staticmethod
    def initial_for(o: Organisation) -> dict[str, Any]:
        return {
            "abbreviation": o.abbreviation,
            "abbreviation_vi": o.abbreviation_vi,
            "name_en": o.name.get("en", ""),
            "name_vi": o.name.get("vi", ""),
            "kind": o.kind,
            "jurisdiction": o.jurisdiction.code,
            "parent": o.parent.abbreviation if o.parent else "",
            "aliases": "\n".join(o.aliases),
            "version": o.version,
        }


# Service field paths → form fields, so that a refusal lands beside its field.
FORM_FIELDS = {"name.en": "name_en", "name.vi": "name_vi"}


class OwnersForm(forms.Form):
    """The owner fields of an action (responsible agency, supporting
    agencies) from the register of the assessment's country, for every form
    that adds or edits an action."""

    def __init__(self, *args: Any, country: str, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "action-%s")
        super().__init__(*args, **kwargs)
        self.fields["responsible"] = OrganisationField(
            country=country, label=_("Responsible agency")
        )
        self.fields["supporting"] = OrganisationsField(
            country=country, label=_("Supporting agencies")
        )
