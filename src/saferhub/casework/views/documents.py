"""Case documents: uploading (checked by content and size before anything is stored:
`cases.services.upload_document`) and downloading (through `sharing.reading`, which writes
the EXPORT entry with the purpose and the file's SHA-256)."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse
from django.shortcuts import redirect

from ...cases import permissions as verbs
from ...cases import services
from ...cases.files import ALLOWED, DOCUMENT
from ...cases.models import Document
from ...sharing.reading import download_document
from .. import access as gate
from ..forms.cases import DocumentForm
from ..problems import REFUSALS, onto
from .common import form_page, posted


@gate.case(verbs.UPLOAD)
def upload(request, on: gate.OnCase):
    form = DocumentForm(posted(request), request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            document = services.upload_document(
                request.user,
                on.case,
                form.cleaned_data["file"],
                description=form.cleaned_data.get("description") or "",
                request=request,
            )
        except REFUSALS as exc:
            onto(form, exc, file_field="file")
        else:
            messages.success(request, f"{document.filename} uploaded")
            return redirect("casework:case", pk=on.case.pk)
    return form_page(
        request,
        "casework/form.html",
        {
            "title": "Upload a document",
            "intro": f"Allowed: {ALLOWED}, up to {DOCUMENT.file_bytes // (1024 * 1024)} MB. "
            "The file is checked by its content: one whose name claims another type is "
            "refused, and nothing is kept.",
            "form": form,
            "submit": "Upload",
            "multipart": True,
        },
        on=on,
        page="upload",
    )


@gate.case_part("document", verbs.DOWNLOAD)
def download(request, on: gate.OnCase, document: Document, allowed):
    sent = download_document(request.user, document, request=request)
    response = FileResponse(
        sent.file, as_attachment=True, filename=sent.filename, content_type=sent.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
