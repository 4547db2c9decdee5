"""The form that adds or edits one action, in the web. The owner fields
(responsible and supporting agencies) are registry.forms.OwnersForm, shown
beside it; the service checks everything again."""

import re
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from readiness.actionplans import services
from readiness.actionplans.models import Action
from readiness.assessments.models import Assessment
from readiness.core.bilingual import pick
from readiness.core.errors import InvalidInput
from readiness.core.text import KEY, LONG, NAME, SHORT, TextField
from readiness.registry.forms import OwnersForm

KEY_RULE = re.compile(r"[a-z0-9][a-z0-9-]*")
# Service field paths → the form that shows them, and its field.
OWNER_FIELDS = {"responsible", "supporting"}
FORM_FIELDS = {"dimensions": "dimension"}


class ActionForm(forms.Form):
    title = TextField(label=_("Title"), max_length=NAME)
    key = forms.CharField(
        label=_("Key"),
        max_length=KEY,
        required=False,
        help_text=_(
            "Made from the title when left empty. Lower-case letters, digits and hyphens; "
            "no other action of this plan may have it."
        ),
    )
    description = TextField(
        label=_("Description"),
        max_length=LONG,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    dimension = forms.TypedChoiceField(label=_("Dimension"), coerce=int)
    phase = forms.ChoiceField(label=_("Phase"))
    start_month = forms.IntegerField(label=_("Start month"), min_value=1, max_value=240, initial=1)
    duration_months = forms.IntegerField(
        label=_("Duration in months"), min_value=1, max_value=240, initial=3
    )
    cost_text = TextField(label=_("Cost, as written"), max_length=SHORT, required=False)
    depends_on = forms.MultipleChoiceField(
        label=_("Starts after"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Hold Ctrl (⌘ on a Mac) to choose more than one."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self, *args: Any, assessment: Assessment, action: Action | None = None, **kwargs: Any
    ) -> None:
        kwargs.setdefault("auto_id", "action-%s")
        super().__init__(*args, **kwargs)
        self.action = action
        frameworks = assessment.frameworks.prefetch_related("dimensions")
        if action is not None:
            # An action stays in its framework: its questions are of that framework.
            frameworks = frameworks.filter(pk=action.dimensions.all()[0].framework_id)
        self.dimensions = {d.pk: d for f in frameworks for d in f.dimensions.all()}
        cast(forms.ChoiceField, self.fields["dimension"]).choices = [
            ("", _("— choose —")),
            *(
                (pk, f"{pick(d.framework.short_title)} {d.key}. {pick(d.title)}")
                for pk, d in self.dimensions.items()
            ),
        ]
        cast(forms.ChoiceField, self.fields["phase"]).choices = [
            ("", _("— choose —")),
            *Action.Phase.choices,
        ]
        others = [a for a in assessment.actions.all() if action is None or a.pk != action.pk]
        self.taken = {a.key for a in others}
        cast(forms.ChoiceField, self.fields["depends_on"]).choices = [
            (
                a.key,
                _("%(title)s (months %(start)s–%(end)s)")
                % {"title": a.title, "start": a.start_month, "end": a.end_month},
            )
            for a in others
        ]

    @classmethod
    def for_action(cls, assessment: Assessment, action: Action) -> "ActionForm":
        return cls(
            assessment=assessment,
            action=action,
            initial={
                "title": action.title,
                "key": action.key,
                "description": action.description,
                "dimension": action.dimensions.all()[0].pk,
                "phase": action.phase,
                "start_month": action.start_month,
                "duration_months": action.duration_months,
                "cost_text": action.cost_text,
                "depends_on": [a.key for a in action.depends_on.all()],
                "version": action.version,
            },
        )

    def clean_key(self) -> str:
        key = self.cleaned_data["key"].strip().lower()
        if not key:
            return services.key_from_title(self.cleaned_data.get("title") or "", self.taken)
        if not KEY_RULE.fullmatch(key):
            raise forms.ValidationError(
                _("Use lower-case letters, digits and hyphens, starting with a letter or digit.")
            )
        if key in self.taken:
            raise forms.ValidationError(_("Another action of this plan has this key."))
        return key

    def framework_key(self) -> str:
        return self.dimensions[self.cleaned_data["dimension"]].framework.key

    def document(self, owners: OwnersForm) -> dict[str, Any]:
        """The fields as an action of a plan document, for the services."""
        data = self.cleaned_data
        chosen = self.dimensions[data["dimension"]].key
        others = [d.key for d in self.action.dimensions.all()] if self.action else []
        return {
            "key": data["key"],
            "title": data["title"],
            "description": data["description"],
            "dimensions": [chosen, *(k for k in others if k != chosen)],
            "phase": data["phase"],
            "responsible": owners.cleaned_data["responsible"].abbreviation,
            "supporting": [o.abbreviation for o in owners.cleaned_data["supporting"]],
            "start_month": data["start_month"],
            "duration_months": data["duration_months"],
            "cost_text": data["cost_text"],
            "depends_on": data["depends_on"],
        }

    def add_service_errors(self, owners: OwnersForm, error: InvalidInput) -> None:
        """Each refusal beside its field; the plan's dependency errors
        (named by action key) under the prerequisites."""
        for item in error.errors:
            field = FORM_FIELDS.get(item.path, item.path)
            if field in OWNER_FIELDS:
                owners.add_error(field, item.message)
            elif field in self.fields:
                self.add_error(field, item.message)
            elif item.path.endswith((".depends_on", ".start_month")):
                self.add_error("depends_on", str(item))
            else:
                self.add_error(None, str(item))


def owners_for(
    assessment: Assessment, action: Action | None = None, data: Any = None
) -> OwnersForm:
    """The owner fields, filled from the action when it is edited."""
    initial = (
        {
            "responsible": action.responsible.abbreviation,
            "supporting": [o.abbreviation for o in action.supporting.all()],
        }
        if action
        else None
    )
    return OwnersForm(data, country=assessment.subject_code[:2], initial=initial)
