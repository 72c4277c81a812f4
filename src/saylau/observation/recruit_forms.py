"""The forms of the recruitment pages: the public application (regions from the
organisation's headquarters, the phases one can observe), the lost link's request and one
module's quiz, labelled in the page's language. The IIN and phone rules are the services'
(voting.signin)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from saylau.errors import UserError
from saylau.observation.models import Checklist, Headquarters, Organisation
from saylau.observation.training import Question
from saylau.voting import signin


class _IinPhone(forms.Form):
    """The IIN and the phone, checked by the services' own rules (voting.signin), so every
    error shows at once."""

    iin = forms.CharField(
        label=_("IIN"),
        max_length=32,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={"required": _("Enter your IIN.")},
    )
    phone = forms.CharField(
        label=_("Mobile phone number"),
        max_length=32,
        help_text=_("We send a 6-digit code to this phone."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        error_messages={"required": _("Enter your mobile phone number.")},
    )

    def _rule(self, name: str, rule: Any) -> str:
        try:
            return str(rule(self.cleaned_data[name]))
        except UserError as error:
            raise forms.ValidationError(str(error)) from None

    def clean_iin(self) -> str:
        return self._rule("iin", signin.clean_iin)

    def clean_phone(self) -> str:
        return self._rule("phone", signin.clean_phone)


class LostLinkForm(_IinPhone):
    """The lost personal link's request: the IIN and phone given when applying."""


class ApplicationForm(_IinPhone):
    field_order = ["full_name", "iin", "phone", "region", "availability"]

    full_name = forms.CharField(
        label=_("Full name"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": _("Enter your full name.")},
    )
    region = forms.ChoiceField(
        label=_("Region"),
        error_messages={
            "required": _("Choose your region."),
            "invalid_choice": _("Choose your region."),
        },
    )
    availability = forms.MultipleChoiceField(
        label=_("When can you observe?"),
        choices=Checklist.Phase.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose at least one part of election day."),
            "invalid_choice": _("Choose at least one part of election day."),
        },
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        hqs = Headquarters.objects.filter(organisation=organisation).order_by("name")
        region = cast(forms.ChoiceField, self.fields["region"])
        region.choices = [("", _("— choose —")), *((hq.region, hq.name) for hq in hqs)]


class QuizForm(forms.Form):
    """One radio group per question; every question needs an answer."""

    def __init__(self, *args: Any, questions: list[Question], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for question in questions:
            self.fields[question.name] = forms.ChoiceField(
                label=question.text,
                choices=question.choices,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Choose an answer."),
                    "invalid_choice": _("Choose an answer."),
                },
            )
