"""Signed, expiring download links for data exports, shared by the API and the web pages.

A link names one export of one user and stops working when the export expires (24 hours).
"""

import json

from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from accounts.models import DataExport
from accounts.services.exports import EXPORT_LIFETIME

SIGNING_SALT = "accounts.export-download"


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=SIGNING_SALT)


def _payload(export: DataExport) -> str:
    return f"{export.pk}:{export.user_id}"


def export_download_url(request: HttpRequest, export: DataExport) -> str:
    signature = _signer().sign(_payload(export)).split(":", 2)[-1]
    path = reverse("api-export-download", kwargs={"export_id": export.pk})
    return request.build_absolute_uri(f"{path}?signature={signature}")


def export_signature_valid(export: DataExport, signature: str) -> bool:
    try:
        value = _signer().unsign(
            f"{_payload(export)}:{signature}", max_age=EXPORT_LIFETIME.total_seconds()
        )
    except signing.BadSignature:
        return False
    return value == _payload(export)


def export_status(request: HttpRequest, export: DataExport) -> dict:
    """`{status, download_url?, expires_at?}` in model terms, for the output serializer."""
    if not export.is_downloadable:
        return {"status": export.status}
    return {
        "status": export.status,
        "download_url": export_download_url(request, export),
        "expires_at": export.expires_at,
    }


def export_download_response(export: DataExport) -> HttpResponse:
    day = export.finished_at.date().isoformat()
    response = HttpResponse(
        json.dumps(export.document, indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="breath-master-export-{day}.json"'
    response["Cache-Control"] = "private, no-store"
    return response
