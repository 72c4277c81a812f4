"""The voter's sign-in forms (the browser booth comes later; the cast is API-only for now)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class SignInForm(forms.Form):
    iin = forms.CharField(
        label=_("IIN"),
        max_length=32,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    phone = forms.CharField(
        label=_("Mobile phone number"),
        max_length=32,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from the SMS"),
        max_length=16,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class LookupForm(forms.Form):
    code = forms.RegexField(
        label=_("Tracking code"),
        regex=r"^\s*[0-9a-fA-F]{64}\s*$",
        max_length=80,
        error_messages={"invalid": _("A tracking code has 64 characters 0–9 and a–f.")},
    )
