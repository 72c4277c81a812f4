"""The HQ's discrepancy pages (/<lang>/hq/<election>/discrepancies/…): the list, its CSV,
the official results source (an upload, or back to saylau's protocols), and the complaint
drafts opened from a row, edited and filed. Thin: each calls a service; a refusal is shown with
nothing changed."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from saylau.complaints.forms import TextFields
from saylau.elections import services as elections
from saylau.elections.models import Election
from saylau.errors import UserError
from saylau.observation import complaint_drafts, discrepancy_list, official
from saylau.observation.errors import OfficialRefused
from saylau.observation.roles import HEADQUARTERS, require_headquarters
from saylau.observation.views import observer_page
from saylau.protocol.manifest import manifest_from_json
from saylau.voting.public import in_language
from saylau.web.uploads import MAX_UPLOAD_BYTES, UploadRefused, read_limited

PAGE = "observation/discrepancies.html"
DRAFT_PAGE = "observation/draft.html"


def _page(election: str) -> str:
    return reverse("observation-hq:discrepancies", args=[election])


def _context(request: HttpRequest, found: Election) -> dict[str, Any]:
    language = request.LANGUAGE_CODE
    results = official.official_results(found)
    rows = discrepancy_list.discrepancy_rows(request.user, found, results)
    region = request.GET.get("region", "")
    sort = request.GET.get("sort", "station")
    every = request.GET.get("all") == "1"
    shown = discrepancy_list.shown(rows, region=region, sort=sort, every=every)
    manifest = manifest_from_json(found.manifest)
    drafts = {(d.station.code, d.contest, d.lines): d for d in complaint_drafts.drafts(found)}
    return {
        "election": found,
        "rows": [_row(found, r, language, drafts) for r in shown],
        "total": len(rows),
        "regions": sorted({r.region for r in rows if r.region}),
        "region": region,
        "sort": sort,
        "every": every,
        "kinds": discrepancy_list.kind_labels(),
        "contests": [
            (c.id, in_language(c.name, language, c.id), results.uploads.get(c.id))
            for c in manifest.contests
        ],
        "uploaded": bool(results.uploads),
        "drafts": list(drafts.values()),
        "may_upload": request.user.has_perm(HEADQUARTERS),
    }


def _row(found: Election, row: Any, language: str, drafts: dict[Any, Any]) -> dict[str, Any]:
    from saylau.observation.discrepancies import lines_key

    lines = [
        {
            "label": discrepancy_list.line_label(found, row.contest, line.key, language),
            "line": line,
        }
        for line in row.lines
    ]
    return {
        "row": row,
        "lines": lines,
        "draft": drafts.get((row.station, row.contest, lines_key(row.differing))),
    }


@observer_page
def page(request: HttpRequest, election: str) -> HttpResponse:
    found = elections.get_election(election)
    require_headquarters(request.user)
    return render(request, PAGE, _context(request, found))


@observer_page
def as_csv(request: HttpRequest, election: str) -> HttpResponse:
    found = elections.get_election(election)
    rows = discrepancy_list.discrepancy_rows(request.user, found)
    shown = discrepancy_list.shown(
        rows, region=request.GET.get("region", ""), sort=request.GET.get("sort", "station")
    )
    data = discrepancy_list.as_csv(found, shown, request.LANGUAGE_CODE)
    response = HttpResponse(data, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="discrepancies-{election}.csv"'
    return response


def _refused(request: HttpRequest, found: Election, error: UserError) -> HttpResponse:
    context = _context(request, found)
    context["error"] = str(error)
    context["error_rows"] = getattr(error, "rows", [])
    status = error.status if error.status in (403, 404) else 400
    return render(request, PAGE, context, status=status)


def _file_bytes(request: HttpRequest, name: str) -> bytes:
    upload = request.FILES.get(name)
    if upload is None:
        return b""
    try:
        return read_limited(upload.chunks(), MAX_UPLOAD_BYTES * 5)
    except UploadRefused as error:
        raise OfficialRefused(str(error)) from None


@require_POST
@observer_page
def upload(request: HttpRequest, election: str) -> HttpResponseBase:
    found = elections.get_election(election)
    try:
        data = _file_bytes(request, "results")
        try:
            map_text = _file_bytes(request, "columns").decode("utf-8-sig")
        except UnicodeDecodeError:
            raise OfficialRefused(_("The column map is not UTF-8 text.")) from None
        given = request.FILES.get("results")
        name = str(getattr(given, "name", "") or "")
        contest = request.POST.get("contest", "")
        stored = official.upload(found, contest, request.user, data, map_text, name)
    except UserError as error:
        return _refused(request, found, error)
    messages.success(
        request,
        _("The commission's results are stored (%(stations)d stations, SHA-256 %(sha256)s).")
        % {"stations": stored.stations, "sha256": stored.sha256},
    )
    return redirect(_page(election))


@require_POST
@observer_page
def use_protocols(request: HttpRequest, election: str) -> HttpResponseBase:
    found = elections.get_election(election)
    try:
        official.use_protocols(found, request.user)
    except UserError as error:
        return _refused(request, found, error)
    messages.success(request, _("The official result is again saylau's accepted protocols."))
    return redirect(_page(election))


@require_POST
@observer_page
def open_draft(request: HttpRequest, election: str) -> HttpResponseBase:
    found = elections.get_election(election)
    station, contest = request.POST.get("station", ""), request.POST.get("contest", "")
    try:
        draft, made = complaint_drafts.open_draft(
            request.user, found, station, contest, request.LANGUAGE_CODE
        )
    except UserError as error:
        return _refused(request, found, error)
    text = (
        _("Complaint draft %(reference)s is opened: check its text, then file it.")
        if made
        else _("This discrepancy already has the draft %(reference)s.")
    )
    messages.success(request, text % {"reference": draft.complaint.reference})
    return redirect("observation-hq:draft", election, draft.pk)


@require_http_methods(["GET", "POST"])
@observer_page
def draft(request: HttpRequest, election: str, pk: int) -> HttpResponse:
    """One draft: its kind and description edited until it is filed, then shown as filed."""
    found = elections.get_election(election)
    item = complaint_drafts.draft_of(request.user, found, pk)
    complaint = item.complaint
    initial = {"category": complaint.category, "description": complaint.description}
    form = TextFields(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                complaint_drafts.edit(
                    request.user, found, pk, data["category"], data["description"]
                )
            except UserError as error:
                field = error.field if error.field in form.fields else None
                form.add_error(field, str(error))
                status = error.status if error.status in (403, 404, 409) else 400
            else:
                messages.success(request, _("The draft is saved."))
                return redirect("observation-hq:draft", election, pk)
        complaint.refresh_from_db()
    context = {
        "election": found,
        "item": item,
        "complaint": complaint,
        "form": form,
        "editable": complaint.status == "draft",
        "evidence": list(complaint.evidence.all()),
    }
    return render(request, DRAFT_PAGE, context, status=status)


@require_POST
@observer_page
def file_draft(request: HttpRequest, election: str, pk: int) -> HttpResponseBase:
    found = elections.get_election(election)
    try:
        complaint = complaint_drafts.file(request.user, found, pk)
    except UserError as error:
        return _refused(request, found, error)
    messages.success(
        request,
        _("Complaint %(reference)s is filed: the committee has received it.")
        % {"reference": complaint.reference},
    )
    return redirect(_page(election))
