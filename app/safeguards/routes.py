"""Rating one safeguard criterion of a programme: the form, the evidence, the history."""


from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

from app.access import AUTHENTICATED, EditorDep, FormDep, RecordId
from app.db import SessionDep
from app.forms import marking_choices, note_typed_markings
from app.errors import Conflict, ValidationFailed
from app.programmes import service as programmes
from app.safeguards import service
from app.safeguards.forms import RatingForm
from app.templating import render
from app.text import small_int

router = APIRouter(dependencies=AUTHENTICATED)


def _load(session, programme_id: int, criterion_id: int):
    """Programme, criterion, the rating the reader may see (or None) and its evidence links;
    NotFound if the programme is missing or above the reader's clearance."""
    programme = programmes.get_programme(session, programme_id)
    criterion = service.get_criterion(session, criterion_id)
    rating = service.get_rating(session, programme, criterion)
    links = service.evidence_links(session, [rating.id]).get(rating.id, []) if rating else []
    return programme, criterion, rating, links


@router.get("/programmes/{programme_id}/safeguards/{criterion_id}", name="rating_edit")
def rating_edit(request: Request, programme_id: RecordId, criterion_id: RecordId,
                session: SessionDep,
                editor: EditorDep):
    programme, criterion, rating, links = _load(session, programme_id, criterion_id)
    form = RatingForm.of(rating, links, programme.classification)
    return _render(request, session, programme, criterion, rating, links, form)


@router.post("/programmes/{programme_id}/safeguards/{criterion_id}", name="rating_save")
def rating_save(request: Request, programme_id: RecordId, criterion_id: RecordId,
                session: SessionDep,
                editor: EditorDep, submitted: FormDep):
    programme, criterion, rating, links = _load(session, programme_id, criterion_id)
    form = RatingForm.from_form_data(submitted)
    change = form.check(editor.user.clearance)
    if change is None:
        return _render(request, session, programme, criterion, rating, links, form,
                       status_code=422)
    offered = {t.key: t for t in _targets(session, programme, links)}
    try:
        service.save_rating(session, programme, criterion, rating, change, offered,
                            small_int(form.values["version"]))
    except ValidationFailed as exc:
        session.rollback()  # nothing half-saved
        form.errors.update(exc.errors)
        programme, criterion, rating, links = _load(session, programme_id, criterion_id)
        return _render(request, session, programme, criterion, rating, links, form,
                       status_code=422)
    except Conflict as exc:
        # Keep what they typed; the form now carries the current version, so saving again
        # replaces the other person's rating knowingly.
        programme, criterion, rating, links = _load(session, programme_id, criterion_id)
        form.values["version"] = str(rating.version) if rating else ""
        return _render(request, session, programme, criterion, rating, links, form,
                       status_code=409, conflict=exc.message)
    return RedirectResponse(f"/programmes/{programme.id}#safeguard-{criterion.code}",
                            status_code=303)


def _targets(session, programme, links) -> list[service.Target]:
    """What the form offers: linkable answer items and sources, and whatever is linked now
    (an inquiry may since have been unlinked from the programme)."""
    targets = {t.key: t for t in service.evidence_targets(session, programme)}
    for link in links:
        targets.setdefault(link.target.key, link.target)
    return list(targets.values())


def _render(request, session, programme, criterion, rating, links, form: RatingForm, *,
            status_code: int = 200, conflict: str | None = None):
    ceiling = request.state.viewer.user.clearance
    note_typed_markings(session, [form.values.get("classification")], ceiling)
    targets = _targets(session, programme, links)
    return render(request, "safeguards/edit.html", {
        "programme": programme, "criterion": criterion, "rating": rating, "form": form,
        "conflict": conflict,
        "answer_targets": [t for t in targets if t.key.startswith("answer-")],
        "source_targets": [t for t in targets if t.key.startswith("source-")],
        "history": service.rating_history(session, rating),
        # At least the programme's marking (a rating is part of it), at most the editor's.
        "marking_options": marking_choices(programme.classification, ceiling),
    }, status_code=status_code)
