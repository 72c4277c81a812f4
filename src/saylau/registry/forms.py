"""Forms for staff pages: member edits (IIN and phone normalised), imports, exclusions."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from saylau.registry import iin as iin_rules
from saylau.registry import phone as phone_rules
from saylau.registry.messages import problem_message
from saylau.registry.models import Member, RollSnapshot
from saylau.registry.rolls import ELECTION_RE

MAX_UPLOAD_BYTES = 200 * 1024 * 1024

if TYPE_CHECKING:
    # django-stubs makes ModelForm generic in its model; Django's own class is not
    # subscriptable at run time, so only the type checker sees the parameter.
    _MemberModelForm = forms.ModelForm[Member]
    _RollSnapshotModelForm = forms.ModelForm[RollSnapshot]
else:
    _MemberModelForm = _RollSnapshotModelForm = forms.ModelForm


class IINFormField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)

    def clean(self, value: Any) -> str:
        text = "".join(str(value or "").split())
        if not text:
            return str(super().clean(text))
        try:
            iin_rules.parse(text)
        except iin_rules.IINError as error:
            raise forms.ValidationError(problem_message("iin." + error.code)) from None
        return text


class PhoneFormField(forms.CharField):
    def clean(self, value: Any) -> str:
        text = str(value or "").strip()
        if not text:
            return str(super().clean(text))
        try:
            return phone_rules.normalize(text)
        except phone_rules.PhoneError as error:
            raise forms.ValidationError(problem_message("phone." + error.code)) from None


class MemberForm(_MemberModelForm):
    iin = IINFormField(label=_("IIN"))
    phone = PhoneFormField(label=_("phone"), help_text=_("For example +7 701 123 45 67."))

    class Meta:
        model = Member
        fields = [
            "iin",
            "full_name",
            "phone",
            "district",
            "join_date",
            "status",
            "excluded_reason",
            "excluded_on",
        ]

    def clean_phone(self) -> str:
        phone = str(self.cleaned_data["phone"])
        taken = Member.objects.filter(status=Member.Status.ACTIVE, phone=phone)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if self.data.get("status", Member.Status.ACTIVE) == Member.Status.ACTIVE and taken.exists():
            raise forms.ValidationError(problem_message("phone.on_roll"))
        return phone


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Member file (CSV or XLSX)"),
        help_text=_(
            "Columns: iin, full_name, phone, district, join_date; optionally status, "
            "excluded_reason, excluded_on. The first line names the columns."
        ),
    )
    dry_run = forms.BooleanField(
        label=_("Only check the file, import nothing"), required=False, initial=True
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 200 MB."))
        return upload


class ExcludeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for exclusion"), widget=forms.Textarea, max_length=2000
    )
    on = forms.DateField(label=_("Excluded on"), widget=forms.DateInput(attrs={"type": "date"}))


class RollSnapshotForm(_RollSnapshotModelForm):
    class Meta:
        model = RollSnapshot
        fields = ["election", "freeze_date"]

    def clean_election(self) -> str:
        election = str(self.cleaned_data["election"])
        if not ELECTION_RE.match(election):
            raise forms.ValidationError(
                _("An election identifier has lowercase letters, digits and hyphens only.")
            )
        return election
