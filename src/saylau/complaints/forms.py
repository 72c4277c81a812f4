"""The forms of the complaint pages and the committee's console: labels in the page's
language, districts and candidates from the election's manifest."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from saylau.complaints import intake, places
from saylau.complaints.models import Category
from saylau.complaints.sanction_specs import SanctionSpec
from saylau.elections.models import Election
from saylau.protocol import sanctions as shape


class MultipleFiles(forms.ClearableFileInput):
    allow_multiple_selected = True


class FilesField(forms.FileField):
    """Several files in one input (the view reads and checks them by content)."""

    def clean(self, data: Any, initial: Any = None) -> Any:
        if isinstance(data, list | tuple):
            return [super(FilesField, self).clean(item, initial) for item in data]
        return super().clean(data, initial)


def _optional(choices: list[tuple[str, str]], empty: Any) -> list[tuple[str, Any]]:
    return [("", empty), *choices]


class TextFields(forms.Form):
    """The kind of violation and the description (a draft's editable part, decision 0046)."""

    category = forms.ChoiceField(
        label=_("What happened"),
        choices=[("", _("— choose —")), *Category.choices],
        error_messages={
            "required": _("Choose the kind of violation."),
            "invalid_choice": _("Choose the kind of violation."),
        },
    )
    description = forms.CharField(
        label=_("Describe what happened"),
        max_length=intake.MAX_DESCRIPTION,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": _("Describe what happened."),
            "max_length": _("The description is too long."),
        },
    )


class WhereFields(TextFields):
    """What the complaint is about: the kind, the place and the candidate."""

    field_order = ["category", "district", "station", "online", "option", "description"]

    district = forms.ChoiceField(label=_("District"), required=False)
    station = forms.CharField(
        label=_("Polling station code"),
        required=False,
        max_length=64,
        help_text=_("If it happened at a polling station, for example S-75."),
    )
    online = forms.BooleanField(label=_("It happened in online voting"), required=False)
    option = forms.ChoiceField(label=_("Candidate concerned"), required=False)

    def __init__(self, *args: Any, election: Election, language: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.election = election
        district = cast(forms.ChoiceField, self.fields["district"])
        option = cast(forms.ChoiceField, self.fields["option"])
        district.choices = _optional(places.district_choices(election, language), _("— any —"))
        option.choices = _optional(places.candidate_choices(election, language), _("— none —"))

    def where(self) -> places.Where:
        data = self.cleaned_data
        return places.Where(
            data["district"], data["station"].strip().upper(), data["online"], data["option"]
        )


class ComplaintForm(WhereFields):
    """The public form: anonymous allowed; a phone or an e-mail gets the reference back."""

    evidence = FilesField(
        label=_("Evidence (photos, PDF, audio, video; up to 20 MB each)"),
        required=False,
        widget=MultipleFiles(attrs={"accept": "image/*,application/pdf,audio/*,video/*"}),
    )
    anonymous = forms.BooleanField(label=_("Stay anonymous"), required=False)
    name = forms.CharField(label=_("Your name"), required=False, max_length=200)
    phone = forms.CharField(
        label=_("Mobile phone (for the reference by SMS)"),
        required=False,
        max_length=32,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        error_messages={"invalid": _("Enter a valid e-mail address.")},
    )

    def contact(self) -> intake.Contact:
        data = self.cleaned_data
        return intake.Contact(data["name"].strip(), data["phone"].strip(), data["email"].strip())


class CallForm(WhereFields):
    """The hotline operator's log of a call, with the callback details."""

    anonymous = forms.BooleanField(label=_("The caller stays anonymous"), required=False)
    name = forms.CharField(label=_("Caller's name"), required=False, max_length=200)
    phone = forms.CharField(label=_("Callback phone"), required=False, max_length=32)
    callback_notes = forms.CharField(
        label=_("Callback details (when to call, language)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def contact(self) -> intake.Contact:
        data = self.cleaned_data
        return intake.Contact(
            data["name"].strip(), data["phone"].strip(), "", data["callback_notes"].strip()
        )


class CheckForm(forms.Form):
    reference = forms.CharField(label=_("Reference"), max_length=16)
    code = forms.CharField(label=_("Access code"), max_length=16)


class MoreForm(forms.Form):
    text = forms.CharField(
        label=_("Your answer"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    evidence = ComplaintForm.base_fields["evidence"]


class TextForm(forms.Form):
    """One text: a request for evidence, a merge target, appeal grounds or reasoning."""

    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=10_000)

    def __init__(self, *args: Any, label: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["text"].label = label


class CategoryForm(forms.Form):
    category = forms.ChoiceField(label=_("Kind of violation"), choices=Category.choices)


class AssignForm(forms.Form):
    assignee = forms.ChoiceField(label=_("Committee member"))
    deadline = forms.DateTimeField(
        label=_("Deadline"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=_("Empty: the election's review time from now."),
    )

    def __init__(self, *args: Any, members: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["assignee"]).choices = members


SANCTION_LABELS = {
    shape.WARNING: _("Warning"),
    shape.DEREGISTER_CANDIDATE: _("Candidate deregistration"),
    shape.ANNUL_STATION: _("Annulment of a station's result"),
    shape.ANNUL_DISTRICT: _("Annulment of a district's result (re-vote)"),
    shape.EXCLUDE_MEMBER: _("Exclusion of a party member"),
}


class DecisionForm(forms.Form):
    substantiated = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("yes", _("The complaint is substantiated")), ("no", _("Not substantiated"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    reasoning = forms.CharField(
        label=_("Written reasoning"), widget=forms.Textarea(attrs={"rows": 5}), max_length=10_000
    )
    sanction = forms.ChoiceField(
        label=_("Sanction"),
        required=False,
        choices=[("", _("— none —")), *SANCTION_LABELS.items()],
    )
    district = forms.ChoiceField(label=_("District of the sanction"), required=False)
    option = forms.ChoiceField(label=_("Candidate to deregister"), required=False)
    station = forms.CharField(label=_("Station to annul"), required=False, max_length=64)
    member = forms.IntegerField(label=_("Member number to exclude"), required=False, min_value=1)

    def __init__(self, *args: Any, election: Election, language: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        district = cast(forms.ChoiceField, self.fields["district"])
        option = cast(forms.ChoiceField, self.fields["option"])
        district.choices = _optional(places.district_choices(election, language), _("— all —"))
        option.choices = _optional(places.candidate_choices(election, language), _("— none —"))

    def sanctions(self) -> list[SanctionSpec]:
        data = self.cleaned_data
        if not data["sanction"]:
            return []
        return [
            SanctionSpec(
                data["sanction"],
                district=data["district"],
                option=data["option"],
                station=data["station"].strip().upper(),
                member_id=data["member"],
            )
        ]


class AppealDecisionForm(forms.Form):
    upheld = forms.TypedChoiceField(
        label=_("Appeal decision"),
        choices=[("yes", _("The decision is upheld")), ("no", _("The decision is overturned"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    reasoning = forms.CharField(
        label=_("Written reasoning"), widget=forms.Textarea(attrs={"rows": 4}), max_length=10_000
    )
