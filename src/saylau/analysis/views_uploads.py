"""Reports made by `saylau analyze` on a commission's CSV, published in the app: staff
upload the folder as a ZIP (/<lang>/analyses/new/), everyone reads it (/<lang>/analyses/<id>/).
Thin: analysis.uploads checks and stores."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from saylau.analysis import pages, uploads
from saylau.analysis.forms import UploadForm
from saylau.analysis.views import READ_ONLY
from saylau.web.errors import error_response
from saylau.web.uploads import MAX_UPLOAD_BYTES, UploadRefused, read_limited

TYPES = {"json": "application/json", "pdf": "application/pdf", "png": "image/png"}


@require_http_methods(["GET", "POST"])
def upload_new(request: HttpRequest) -> HttpResponse:
    if not request.user.is_staff:
        return error_response(request, 403, _("Only staff may publish an analysis."))
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            data = read_limited(form.cleaned_data["report"].chunks(), MAX_UPLOAD_BYTES)
            stored = uploads.accept(data, form.cleaned_data["title"])
        except (uploads.ReportRefused, UploadRefused) as e:
            form.add_error("report", str(e))
        else:
            return redirect("analysis:upload", upload_id=stored.id)
    status = 400 if form.errors else 200
    return render(request, "analysis/upload_new.html", {"form": form}, status=status)


@READ_ONLY
@require_GET
def upload_page(request: HttpRequest, upload_id: str) -> HttpResponse:
    stored = uploads.load(upload_id)
    if stored is None:
        return error_response(request, 404, _("There is no such published analysis."))
    context = {
        "upload": stored,
        "report": stored.report,
        "tests": pages.entries(stored.report, {}, request.LANGUAGE_CODE),
        "figures": [
            pages.Figure(n.removesuffix(".png"), _(pages.title_for(n))) for n in stored.figures
        ],
    }
    return render(request, "analysis/upload.html", context)


@READ_ONLY
@require_GET
def upload_file(request: HttpRequest, upload_id: str, name: str) -> HttpResponse:
    path = uploads.file_path(upload_id, name)
    ext = name.rpartition(".")[2]
    if path is None or ext not in TYPES:
        return error_response(request, 404, _("This report has no such figure."))
    response = HttpResponse(path.read_bytes(), content_type=TYPES[ext])
    response["Content-Disposition"] = f'inline; filename="{upload_id}-{name}"'
    return response
