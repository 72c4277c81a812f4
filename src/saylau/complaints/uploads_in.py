"""The evidence files of a request, read within the size limit; a refusal in the user's
language."""

from __future__ import annotations

from django.http import HttpRequest

from saylau.complaints.errors import EvidenceRefused
from saylau.web import uploads


def evidence_files(request: HttpRequest, name: str = "evidence") -> list[bytes]:
    out = []
    for upload in request.FILES.getlist(name):
        try:
            out.append(uploads.read_limited(upload.chunks()))
        except uploads.UploadRefused as refused:
            raise EvidenceRefused(f"{upload.name}: {refused}", field=name) from None
    return out
