"""The forms of the pollster's pages: a poll's registration, its sample design, a new
interviewer and their stations."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from saylau.elections.models import Election
from saylau.exitpoll.models import SampledStation
from saylau.exitpoll.polls import CLOSED, contests


def contest_choices(language: str) -> list[tuple[str, str]]:
    """ "election|contest" of every contest of the elections still to be voted in."""
    out = []
    for election in Election.objects.exclude(status__in=CLOSED).order_by("slug"):
        for cid, name in contests(election, language):
            out.append((f"{election.slug}|{cid}", f"{election.title(language)}: {name}"))
    return out


class RegisterForm(forms.Form):
    contest = forms.ChoiceField(label=_("Election and contest"))
    name = forms.CharField(label=_("Name of the poll"), max_length=200)
    organisation = forms.CharField(label=_("Polling organisation"), max_length=200)
    method = forms.CharField(
        label=_("Method statement"),
        help_text=_("Published with the poll: how the stations, voters and answers are chosen."),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
    )

    def __init__(self, *args: Any, language: str = "kk", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contest"].choices = contest_choices(language)  # type: ignore[attr-defined]


def _number(**kwargs: Any) -> dict[str, Any]:
    return {"widget": forms.TextInput(attrs={"inputmode": "decimal"}), **kwargs}


class DesignForm(forms.Form):
    margin = forms.FloatField(
        label=_("Target margin (half-width of a share's 95% interval)"),
        help_text=_("0.02 is ±2 points."),
        min_value=0.001,
        max_value=0.49,
        **_number(),
    )
    response_rate = forms.FloatField(
        label=_("Expected response rate"),
        help_text=_("The share of approached voters expected to answer, e.g. 0.7."),
        min_value=0.01,
        max_value=1,
        **_number(),
    )
    quota = forms.IntegerField(
        label=_("Interviews per station"),
        min_value=1,
        max_value=10000,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    turnout = forms.FloatField(
        label=_("Expected turnout"),
        help_text=_("Sets the approach interval: every k-th voter leaving."),
        min_value=0.01,
        max_value=1,
        initial=0.6,
        **_number(),
    )
    seed = forms.CharField(
        label=_("Public seed of the draw"),
        help_text=_("Announced before the draw (e.g. a lottery's numbers); published with it."),
        max_length=200,
    )


class InterviewerForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    username = forms.CharField(label=_("User name"), max_length=150)
    password = forms.CharField(
        label=_("Password"), widget=forms.PasswordInput(render_value=False), max_length=128
    )
    phone = forms.CharField(
        label=_("Phone (seen by the pollster only)"), max_length=32, required=False
    )


class AssignForm(forms.Form):
    stations = forms.MultipleChoiceField(
        label=_("Stations"), widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args: Any, sampled: list[SampledStation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["stations"].choices = [  # type: ignore[attr-defined]
            (str(s.pk), f"{s.station.code} · {s.stratum}") for s in sampled
        ]


class ApplyForm(forms.Form):
    """A polling organisation's application for the pollster role; the account's user name
    and password only when nobody is signed in."""

    organisation = forms.CharField(label=_("Polling organisation"), max_length=200)
    email = forms.EmailField(label=_("Contact e-mail"))
    method = forms.CharField(
        label=_("Statement of method"),
        help_text=_("In a few sentences: how you choose the stations and the voters you ask."),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=2000,
    )
    username = forms.CharField(label=_("User name of the organisation's account"), max_length=150)
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput)

    def __init__(self, *args: Any, signed_in: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if signed_in:
            del self.fields["username"], self.fields["password"]


class DecideForm(forms.Form):
    application = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(choices=[("approve", "approve"), ("refuse", "refuse")])
    reason = forms.CharField(
        label=_("Reason (told to the applicant; needed to refuse)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )
