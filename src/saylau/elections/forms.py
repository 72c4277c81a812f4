"""Admin forms: create an election from a manifest file, or build the manifest with forms
(districts, contests, candidates, "against all")."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from saylau.elections.models import IpPolicy
from saylau.registry import services as registry

AGAINST_ALL = {"kk": "Барлығына қарсы", "ru": "Против всех", "en": "Against all"}


def _district_choices() -> list[tuple[str, str]]:
    return [(code, f"{code} {names['en']}") for code, names in registry.district_names().items()]


class ElectionCreateForm(forms.Form):
    manifest_file = forms.FileField(
        label=gettext_lazy("Manifest file (YAML or JSON)"),
        required=False,
        help_text=gettext_lazy("Leave empty to build the manifest with the fields below."),
    )
    election_id = forms.SlugField(label=gettext_lazy("Election id"), required=False)
    title_kk = forms.CharField(label=gettext_lazy("Title (Kazakh)"), required=False)
    title_ru = forms.CharField(label=gettext_lazy("Title (Russian)"), required=False)
    title_en = forms.CharField(label=gettext_lazy("Title (English)"), required=False)
    districts = forms.MultipleChoiceField(
        label=gettext_lazy("Districts"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=_district_choices,
    )
    trustees = forms.IntegerField(label=gettext_lazy("Trustees"), min_value=1, max_value=100)
    threshold = forms.IntegerField(label=gettext_lazy("Threshold"), min_value=1, max_value=100)
    opens_at = forms.DateTimeField(label=gettext_lazy("Voting opens"), required=False)
    closes_at = forms.DateTimeField(label=gettext_lazy("Voting closes"), required=False)
    ip_policy = forms.ChoiceField(label=gettext_lazy("IP policy"), choices=IpPolicy.choices)
    ip_limit_per_hour = forms.IntegerField(
        label=gettext_lazy("Voters per IP per hour"), min_value=1, initial=20
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("manifest_file"):
            missing = [
                name
                for name in ("election_id", "title_kk", "title_ru", "title_en", "districts")
                if not data.get(name)
            ]
            for name in missing:
                self.add_error(name, _("Needed when no manifest file is given."))
        return data


def _spellings(text: str) -> dict[str, str]:
    """One name for all three languages, or “Kazakh | Russian | English”."""
    parts = [p.strip() for p in text.split("|")]
    if len(parts) == 1:
        parts = parts * 3
    if len(parts) != 3 or not all(parts):
        raise forms.ValidationError(
            _(
                "A candidate line is a name or three names separated by “|”, then optionally "
                "“//” and the party the same way."
            )
        )
    return {"kk": parts[0], "ru": parts[1], "en": parts[2]}


class ContestForm(forms.Form):
    contest_id = forms.SlugField(label=gettext_lazy("Contest id"))
    name_kk = forms.CharField(label=gettext_lazy("Name (Kazakh)"))
    name_ru = forms.CharField(label=gettext_lazy("Name (Russian)"))
    name_en = forms.CharField(label=gettext_lazy("Name (English)"))
    min_marks = forms.IntegerField(label=gettext_lazy("Fewest marks"), min_value=0, initial=1)
    max_marks = forms.IntegerField(label=gettext_lazy("Most marks"), min_value=1, initial=1)
    candidates = forms.CharField(
        label=gettext_lazy("Candidates"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy(
            "One per line: a name, or “Kazakh | Russian | English” spellings; the party, if "
            "any, after “//” in the same way (“Name // Party”)."
        ),
    )
    against_all = forms.BooleanField(label=gettext_lazy("With “against all”"), required=False)
    districts = forms.MultipleChoiceField(
        label=gettext_lazy("Only in these districts"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=_district_choices,
        help_text=gettext_lazy("Leave empty for every district of the election."),
    )

    def candidate_names(self) -> list[dict[str, Any]]:
        """Each line's names (and the party's, after “//”), in kk, ru and en."""
        candidates = []
        for line in self.cleaned_data["candidates"].splitlines():
            name, _sep, party = line.partition("//")
            if not name.strip():
                continue
            candidate: dict[str, Any] = {"name": _spellings(name)}
            if party.strip():
                candidate["party"] = _spellings(party)
            candidates.append(candidate)
        return candidates

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "candidates" in data:
            try:
                self.cleaned_data["candidate_list"] = self.candidate_names()
            except forms.ValidationError as error:
                self.add_error("candidates", error)
        return data


ContestFormSet = forms.formset_factory(ContestForm, extra=2, min_num=0)


def build_manifest(form: ElectionCreateForm, contests: list[dict[str, Any]]) -> dict[str, Any]:
    """The manifest the builder fields describe (one ballot style per set of contests)."""
    data = form.cleaned_data
    districts: list[str] = list(data["districts"])
    raw_contests = []
    for c in contests:
        options = [
            {"id": f"{c['contest_id']}-{k:02d}", **candidate}
            for k, candidate in enumerate(c["candidate_list"], start=1)
        ]
        if c["against_all"]:
            options.append(
                {"id": f"{c['contest_id']}-aa", "name": AGAINST_ALL, "against_all": True}
            )
        raw_contests.append(
            {
                "id": c["contest_id"],
                "name": {"kk": c["name_kk"], "ru": c["name_ru"], "en": c["name_en"]},
                "min_marks": c["min_marks"],
                "max_marks": c["max_marks"],
                "options": options,
            }
        )
    styles: dict[tuple[str, ...], str] = {}
    district_rows = []
    for code in districts:
        ids = tuple(
            c["contest_id"] for c in contests if not c["districts"] or code in c["districts"]
        )
        style = styles.setdefault(ids, f"style-{len(styles) + 1}")
        district_rows.append({"id": code, "ballot_style": style})
    return {
        "election_id": data["election_id"],
        "title": {"kk": data["title_kk"], "ru": data["title_ru"], "en": data["title_en"]},
        "districts": district_rows,
        "ballot_styles": [{"id": s, "contests": list(ids)} for ids, s in styles.items()],
        "contests": raw_contests,
    }


def aware(moment: dt.datetime | None) -> dt.datetime | None:
    from django.utils import timezone

    if moment is not None and timezone.is_naive(moment):
        return timezone.make_aware(moment)
    return moment
