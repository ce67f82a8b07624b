"""Logging, changing and removing the government's answer to an inquiry. Session first; no HTTP,
no templates; services only flush."""

from datetime import date

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from app.audit.service import changed_since_message, conflict_if_changed
from app.errors import Conflict, NotFound, ValidationFailed
from app.inquiries.answer_form import AnswerInput, received_on_problem
from app.inquiries.attachments import AttachmentStore
from app.models import Answer, AnswerItem, Inquiry, Ministry, utcnow

HIDDEN_ITEM_MESSAGE = (
    "One of these questions already has an answer held above your clearance, so nothing was "
    "saved. Leave its fields empty, or ask a colleague with that clearance to log it."
)


def ministries(session: Session) -> list[Ministry]:
    return list(session.exec(select(Ministry).order_by(Ministry.position, Ministry.name)))


def require_answer(inquiry: Inquiry) -> Answer:
    """The inquiry's answer as far as the reader may see it, or NotFound."""
    if inquiry.answer is None:
        raise NotFound("Answer")
    return inquiry.answer


def save_answer(session: Session, inquiry: Inquiry, data: AnswerInput,
                opened_version: int | None, today: date) -> Answer:
    """Create or update the answer and its items from a form opened at `opened_version` (None:
    opened before there was an answer). All or nothing: the caller rolls back on an error.

    Conflict if someone saved in between. Answer items above the editor's clearance were never
    loaded, so they stay exactly as they are."""
    problem = received_on_problem(inquiry.submitted_on, data.received_on, today)
    if problem:
        raise ValidationFailed({"received_on": problem})
    answer = inquiry.answer
    if answer is not None and opened_version != answer.version:
        raise Conflict(changed_since_message(session, "answer", answer.id))
    if answer is None:
        answer = Answer(inquiry_id=inquiry.id, received_on=data.received_on)
        answer.items, answer.attachments = [], []
        session.add(answer)
    for name in ("received_on", "reference", "ministry_id", "has_classified_annex", "notes"):
        if getattr(answer, name) != getattr(data, name):
            setattr(answer, name, getattr(data, name))
    # Never lower than its inquiry; its parts never lower than itself.
    answer.classification = max(data.classification, inquiry.classification)
    answer.updated_at = utcnow()  # also raises the version when only items changed
    _apply_items(answer, inquiry, data)
    for attachment in answer.attachments:
        attachment.classification = max(attachment.classification, answer.classification)
    _flush(session, answer)
    return answer


def _apply_items(answer: Answer, inquiry: Inquiry, data: AnswerInput) -> None:
    stored = {a.item_id: a for a in answer.items}
    questions = {q.id: q for q in inquiry.items}
    for item_id, typed in data.items.items():
        question = questions.get(item_id)
        row = stored.get(item_id)
        if question is None or (row is None and typed.blank):
            continue
        if row is None:
            row = AnswerItem(item_id=item_id)
            answer.items.append(row)
        values = typed.model_dump()
        values["classification"] = max(typed.classification, question.classification,
                                       answer.classification)
        for name, value in values.items():
            if getattr(row, name) != value:
                setattr(row, name, value)
    for row in answer.items:  # those whose question the form did not carry, too
        row.classification = max(row.classification, answer.classification)


def _flush(session: Session, answer: Answer) -> None:
    """Flush, turning a save that raced another one into a Conflict or a clear message."""
    try:
        with conflict_if_changed(session, "answer", answer.id):
            session.flush()
    except IntegrityError as exc:
        session.rollback()
        if "answer_item" in str(exc.orig):
            raise ValidationFailed({"items": HIDDEN_ITEM_MESSAGE}) from exc
        if "inquiry_id" in str(exc.orig):
            raise Conflict("Someone else has logged an answer to this inquiry, so yours was "
                           "not saved; your input is below. If the inquiry page does not show "
                           "that answer, it is marked above your clearance: ask a colleague "
                           "who may see it.") from exc
        raise


def delete_answer(session: Session, answer: Answer, store: AttachmentStore) -> None:
    """Delete the answer, its items (and the safeguard evidence that cites them) and its files,
    each row with its own audit event; the files go once the deletion is committed.

    Only a reader who sees everything may do this (the route requires full clearance), so
    nothing is destroyed that the person deleting could not see."""
    for part in (*answer.items, *answer.attachments):
        session.delete(part)
    store.remove_after_commit(session, [a.stored_name for a in answer.attachments])
    session.delete(answer)
    session.flush()
