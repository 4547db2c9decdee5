from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

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
