"""The forms of the commission's pages: a protocol's lines, a supervisor's settlement, the
scan, who voted, a recount's reason. Labels in the page's language; options by the
manifest's names."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from saylau.paper.entry import Key, Typed, keys_of
from saylau.paper.recount import MAX_REASON
from saylau.protocol.manifest import Contest, name_in
from saylau.protocol.paper_protocol import FIELDS

MAX_COUNT = 10_000_000

FIELD_LABELS: dict[str, Any] = {
    "voters_on_list": _("Voters on the list"),
    "ballots_received": _("Ballots received by the commission"),
    "ballots_issued": _("Ballots issued to voters"),
    "ballots_cancelled": _("Unused ballots cancelled"),
    "ballots_spoiled": _("Spoiled ballots"),
    "ballots_lost": _("Lost ballots"),
    "ballots_in_boxes": _("Ballots found in the boxes"),
    "invalid": _("Invalid ballots"),
    "valid": _("Valid ballots"),
}


def option_name(contest: Contest, option_id: str, language: str) -> str:
    for option in contest.options:
        if option.id == option_id:
            return name_in(option.name, language, settings.LANGUAGE_CODE, "en") or option.id
    return option_id


def label_of(contest: Contest, key: Key, language: str) -> str:
    if key[0] == "counts":
        return str(FIELD_LABELS[key[1]])
    return option_name(contest, key[1], language)


def field_name(contest: Contest, key: Key) -> str:
    """The form field of a line: its name, or `option_<n>` for the n-th option."""
    if key[0] == "counts":
        return key[1]
    index = [o.id for o in contest.options].index(key[1])
    return f"option_{index + 1}"


def count_field(label: str, help_text: str = "") -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        help_text=help_text,
        min_value=0,
        max_value=MAX_COUNT,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "pattern": "[0-9]*"}
        ),
        error_messages={
            "required": _("Enter this line of the protocol (0 if none)."),
            "invalid": _("Enter a whole number, 0 or more."),
            "min_value": _("Enter a whole number, 0 or more."),
            "max_value": _("This number is too large for a station's protocol."),
        },
    )


class EntryForm(forms.Form):
    """Every line of the protocol and the votes for each option, in the protocol's order."""

    def __init__(self, *args: Any, contest: Contest, language: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.contest = contest
        for key in keys_of(contest):
            self.fields[field_name(contest, key)] = count_field(label_of(contest, key, language))

    def typed(self) -> Typed:
        data = self.cleaned_data
        return Typed(
            {name: int(data[name]) for name in FIELDS},
            {
                o.id: int(data[field_name(self.contest, ("options", o.id))])
                for o in self.contest.options
            },
        )

    def option_fields(self) -> list[forms.BoundField]:
        return [self[field_name(self.contest, ("options", o.id))] for o in self.contest.options]

    def count_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in FIELDS]


class ResolveForm(forms.Form):
    """The supervisor's value for each line the two entries differ on."""

    def __init__(
        self,
        *args: Any,
        contest: Contest,
        language: str,
        rows: list[tuple[Key, int, int]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.contest = contest
        self.keys = [key for key, _a, _b in rows]
        for key, first, second in rows:
            help_text = _("Entry 1: %(first)s, entry 2: %(second)s") % {
                "first": first,
                "second": second,
            }
            self.fields[field_name(contest, key)] = count_field(
                label_of(contest, key, language), str(help_text)
            )

    def values(self) -> dict[Key, int]:
        return {key: int(self.cleaned_data[field_name(self.contest, key)]) for key in self.keys}


class ScanForm(forms.Form):
    scan = forms.FileField(
        label=_("Scan or photo of the signed protocol"),
        help_text=_("PDF, JPEG or PNG, at most 20 MB."),
        error_messages={"required": _("Choose the file of the scan or photo.")},
    )


class VotedForm(forms.Form):
    voted = forms.FileField(
        label=_("Who voted at this station"),
        help_text=_(
            "A text file with one IIN a line, or a CSV file whose first column is the IIN."
        ),
        error_messages={"required": _("Choose the file with the IINs.")},
    )


class RecountForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the recount"),
        help_text=_("Published with the recount's protocol."),
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Give the reason for the recount.")},
    )
