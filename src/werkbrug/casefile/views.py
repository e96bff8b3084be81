"""Pages for the journal and the documents of a trajectory, and the client's shared notes.

Thin: every view that names a trajectory, note, document or version fetches it through a
selector that authorizes the action it is about to do, before it reads any input, for every
method (missing and forbidden answer the same 404); then it parses, calls one service, renders.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from werkbrug.core.policy.trajectories import visible_categories
from werkbrug.web.forms import apply_validation_error

from . import selectors, services
from .forms import CorrectionForm, NoteForm, ReplaceForm, SearchForm, UploadForm


def _invalid(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    return render(request, template, context, status=400)


# --- journal -----------------------------------------------------------------------------------


@login_required
def journal(request: HttpRequest, trajectory_pk: int) -> HttpResponse:
    # The selector checks first, then reads the query (trimmed, at most 200 characters).
    trajectory, entries = selectors.journal_list(user=request.user, trajectory_pk=trajectory_pk,
                                                 query=request.GET.get("q", ""))
    search = SearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    return render(request, "casefile/journal.html", {
        "trajectory": trajectory, "entries": entries, "search": search, "query": query,
    })


@login_required
def journal_create(request: HttpRequest, trajectory_pk: int) -> HttpResponse:
    trajectory = selectors.trajectory_for(user=request.user, pk=trajectory_pk, action="journal.create",
                                          write=request.method == "POST")
    categories = visible_categories(request.user, trajectory.client)
    if request.method == "POST":
        form = NoteForm(request.POST, categories=categories)
        if form.is_valid():
            data = form.cleaned_data
            try:
                entry = services.journal_entry_create(
                    trajectory=trajectory, author=request.user, category=data["category"], kind=data["kind"],
                    occurred_on=data["occurred_on"], with_whom=data["with_whom"], text=data["text"],
                    shared_with_client=data["shared_with_client"],
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("The note has been saved."))
                return redirect("casefile:journal_entry", trajectory_pk=trajectory.pk, pk=entry.pk)
        return _invalid(request, "casefile/note_form.html", {"trajectory": trajectory, "form": form})
    form = NoteForm(categories=categories)
    return render(request, "casefile/note_form.html", {"trajectory": trajectory, "form": form})


@login_required
def journal_entry(request: HttpRequest, trajectory_pk: int, pk: int) -> HttpResponse:
    entry = selectors.journal_entry_get(user=request.user, pk=pk, trajectory_pk=trajectory_pk)
    return render(request, "casefile/journal_entry.html", {
        "trajectory": entry.trajectory, "entry": entry,
        "versions": selectors.journal_versions(user=request.user, entry=entry),
    })


@login_required
def journal_correct(request: HttpRequest, trajectory_pk: int, pk: int) -> HttpResponse:
    entry = selectors.journal_entry_get(user=request.user, pk=pk, trajectory_pk=trajectory_pk, action="journal.correct")
    context = {"trajectory": entry.trajectory, "entry": entry}
    # The note's own category is always offered (it is the one it keeps), whatever else the author writes in.
    categories = visible_categories(request.user, entry.trajectory.client) | {entry.category}
    if request.method == "POST":
        form = CorrectionForm(request.POST, categories=categories)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.journal_entry_correct(
                    entry=entry, author=request.user, kind=data["kind"], occurred_on=data["occurred_on"],
                    with_whom=data["with_whom"], text=data["text"], shared_with_client=data["shared_with_client"],
                    reason=data["reason"], category=data.get("category") or None,
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("The correction has been saved; the earlier text is kept."))
                return redirect("casefile:journal_entry", trajectory_pk=entry.trajectory_id, pk=entry.pk)
        return _invalid(request, "casefile/correct_form.html", {**context, "form": form})
    current = entry.current
    form = CorrectionForm(initial={
        "occurred_on": current.occurred_on, "kind": current.kind, "with_whom": current.with_whom,
        "text": current.text, "shared_with_client": current.shared_with_client, "category": entry.category,
    } if current else {"category": entry.category}, categories=categories)
    return render(request, "casefile/correct_form.html", {**context, "form": form})


@login_required
def portal_journal(request: HttpRequest) -> HttpResponse:
    """The notes the team shared with the signed-in client (read-only)."""
    from werkbrug.portal.selectors import own_client

    client = own_client(request.user)
    entries = selectors.portal_journal(user=request.user, client=client)
    return render(request, "casefile/portal_journal.html", {"client": client, "entries": entries})


# --- documents ---------------------------------------------------------------------------------


@login_required
def documents(request: HttpRequest, trajectory_pk: int) -> HttpResponse:
    trajectory, items = selectors.document_list(user=request.user, trajectory_pk=trajectory_pk)
    return render(request, "casefile/documents.html", {"trajectory": trajectory, "documents": items})


@login_required
def document_upload(request: HttpRequest, trajectory_pk: int) -> HttpResponse:
    trajectory = selectors.trajectory_for(user=request.user, pk=trajectory_pk, action="document.upload",
                                          write=request.method == "POST")
    categories = visible_categories(request.user, trajectory.client)
    records = list(selectors.consent_records(trajectory=trajectory))
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES, categories=categories, consent_records=records)
        if form.is_valid():
            data = form.cleaned_data
            upload = data["file"]
            consent_event = next((r for r in records if r.pk == data["consent_event"]), None)
            try:
                document = services.document_upload(
                    trajectory=trajectory, uploaded_by=request.user, category=data["category"], kind=data["kind"],
                    title=data["title"], upload=upload, name=upload.name, size=upload.size,
                    consent_event=consent_event,
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("The document has been added."))
                return redirect("casefile:document", trajectory_pk=trajectory.pk, pk=document.pk)
        return _invalid(request, "casefile/upload_form.html", {"trajectory": trajectory, "form": form})
    form = UploadForm(categories=categories, consent_records=records,
                      initial={"consent_event": request.GET.get("consent", "")})
    return render(request, "casefile/upload_form.html", {"trajectory": trajectory, "form": form})


@login_required
def document(request: HttpRequest, trajectory_pk: int, pk: int) -> HttpResponse:
    item = selectors.document_get(user=request.user, pk=pk, trajectory_pk=trajectory_pk)
    return render(request, "casefile/document.html", {
        "trajectory": item.trajectory, "document": item, "versions": selectors.document_versions(document=item),
    })


@login_required
def document_replace(request: HttpRequest, trajectory_pk: int, pk: int) -> HttpResponse:
    item = selectors.document_get(user=request.user, pk=pk, trajectory_pk=trajectory_pk, action="document.replace")
    context = {"trajectory": item.trajectory, "document": item}
    if request.method == "POST":
        form = ReplaceForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                services.document_replace(document=item, uploaded_by=request.user, upload=upload, name=upload.name,
                                          size=upload.size, note=form.cleaned_data["note"])
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("The new version has been added; the earlier one is kept."))
                return redirect("casefile:document", trajectory_pk=item.trajectory_id, pk=item.pk)
        return _invalid(request, "casefile/replace_form.html", {**context, "form": form})
    return render(request, "casefile/replace_form.html", {**context, "form": ReplaceForm()})


def file_response(version) -> FileResponse:
    """The stored file as an attachment, with its sniffed type; never shown inline."""
    response = FileResponse(version.file.open("rb"), as_attachment=True, filename=version.original_name,
                            content_type=version.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "no-store"
    return response


@login_required
def document_download(request: HttpRequest, trajectory_pk: int, pk: int, version_pk: int) -> HttpResponse:
    version = selectors.document_version_get(user=request.user, pk=version_pk, document_pk=pk,
                                             trajectory_pk=trajectory_pk)
    return file_response(version)
