"""Reading and changing inquiries: everything their page and status need, the edit form's
saves, extensions, withdrawal, deletion and history. Session first; no HTTP. Items are changed
in app.inquiries.items.

Status and due date are derived (app.inquiries.status, app.inquiries.deadlines) from what the
reader may see: an answer above their clearance is, for them, no answer.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session, select

from app.audit.service import changed_since_message, conflict_if_changed, history_of
from app.inquiries.attachments import AttachmentStore
from app.errors import Conflict, NotFound, ValidationFailed
from app.inquiries.deadlines import DeadlineRule, DueDate, Extension, WorkingCalendar, \
    compute_due_date
from app.inquiries.forms import ExtensionInput, InquiryInput
from app.inquiries.paste import PastedItem
from app.inquiries.status import InquiryStatus, derive_status
from app.models import (
    Answer, AnswerItem, Assessment, AuditEvent, DeadlineExtension, Inquiry,
    InquiryItem, InquiryMinistry, InquiryProgramme, InquiryType, Ministry, Programme,
    utcnow,
)


def _full_load(*, listing: bool = False):
    """What status, due date and the lists need: the type, extensions, items, ministries and
    the answer with its items. The inquiry's own page also shows the answer's files, and a
    change to the inquiry needs its programme links: the audit trail records every part it
    deletes. A list needs neither (nor do their rows raise the list's marking)."""
    answer = selectinload(Inquiry.answer)
    parts = [
        selectinload(Inquiry.inquiry_type),
        selectinload(Inquiry.items),
        selectinload(Inquiry.ministries).selectinload(InquiryMinistry.ministry),
        selectinload(Inquiry.extensions),
        answer.selectinload(Answer.items),
        answer.selectinload(Answer.ministry),
    ]
    if listing:
        return parts
    return [
        *parts,
        # Link rows only (a programme's clearance hides it through linked_programmes).
        selectinload(Inquiry.programme_links),
        answer.selectinload(Answer.attachments),
    ]


def get_inquiry(session: Session, inquiry_id: int, *, fresh: bool = False) -> Inquiry:
    """An inquiry with its type, items, ministries, extensions and answer (as far as the reader
    may see), or NotFound, also when it is above the reader's clearance. `fresh` reloads what
    this request already loaded, after a change to its parts."""
    query = select(Inquiry).where(Inquiry.id == inquiry_id).options(*_full_load())
    if fresh:
        query = query.execution_options(populate_existing=True)
    inquiry = session.exec(query).first()
    if inquiry is None:
        raise NotFound("Inquiry")
    return inquiry


def linked_programmes(session: Session, inquiry_ids: list[int]) -> dict[int, list[Programme]]:
    """Programmes each inquiry is about, that the reader may see, by inquiry id."""
    rows = session.exec(
        select(InquiryProgramme.inquiry_id, Programme)
        .join(Programme, Programme.id == InquiryProgramme.programme_id)
        .where(InquiryProgramme.inquiry_id.in_(inquiry_ids))
        .order_by(Programme.reference_code)
    ).all()
    found: dict[int, list[Programme]] = {i: [] for i in inquiry_ids}
    for inquiry_id, programme in rows:
        found[inquiry_id].append(programme)
    return found


@dataclass(frozen=True)
class InquiryState:
    """An inquiry with its derived due date and status on a given day."""

    inquiry: Inquiry
    due: DueDate
    status: InquiryStatus

    @property
    def due_date(self) -> date | None:
        return self.due.date

    def assessments(self) -> dict[int, AnswerItem]:
        """Answer items by inquiry item id."""
        answer = self.inquiry.answer
        return {a.item_id: a for a in answer.items} if answer is not None else {}


def due_date_of(inquiry: Inquiry, calendar: WorkingCalendar) -> DueDate:
    return compute_due_date(
        inquiry.submitted_on, DeadlineRule.of(inquiry.inquiry_type), calendar,
        set_due_date=inquiry.set_due_date,
        extensions=[Extension(e.new_due_date, e.reason) for e in inquiry.extensions],
    )


def state_of(inquiry: Inquiry, calendar: WorkingCalendar, today: date) -> InquiryState:
    """Due date and status of a fully loaded inquiry (get_inquiry / inquiry_states)."""
    due = due_date_of(inquiry, calendar)
    answer = inquiry.answer
    by_item: dict[int, Assessment | None] = (
        {a.item_id: a.assessment for a in answer.items} if answer is not None else {}
    )
    status = derive_status(
        submitted_on=inquiry.submitted_on, withdrawn_on=inquiry.withdrawn_on, due_date=due.date,
        answered=answer is not None,
        assessments=[by_item.get(item.id) for item in inquiry.items],
        today=today, calendar=calendar,
    )
    return InquiryState(inquiry, due, status)


def inquiry_states(session: Session, calendar: WorkingCalendar, today: date,
                   where=None) -> list[InquiryState]:
    """Every inquiry the reader may see (optionally filtered by a WHERE clause on Inquiry), with
    its due date and status; a handful of queries whatever the number of inquiries."""
    query = select(Inquiry).options(*_full_load(listing=True)).order_by(Inquiry.id)
    if where is not None:
        query = query.where(where)
    return [state_of(inquiry, calendar, today) for inquiry in session.exec(query).all()]


def inquiries_about(session: Session, programme_id: int, calendar: WorkingCalendar,
                    today: date) -> list[InquiryState]:
    """Inquiries linked to a programme, that the reader may see, newest submission first."""
    linked = select(InquiryProgramme.inquiry_id).where(
        InquiryProgramme.programme_id == programme_id)
    states = inquiry_states(session, calendar, today, Inquiry.id.in_(linked))
    return sorted(states, key=lambda s: (s.inquiry.submitted_on or date.max, s.inquiry.id),
                  reverse=True)


def follow_ups(session: Session, inquiry_id: int) -> list[Inquiry]:
    """Inquiries drafted as follow-ups of this one, that the reader may see."""
    return list(session.exec(
        select(Inquiry).where(Inquiry.follow_up_of_id == inquiry_id).order_by(Inquiry.id)))


def follow_up_of(session: Session, inquiry: Inquiry) -> Inquiry | None:
    """The inquiry this one follows up, if the reader may see it."""
    if inquiry.follow_up_of_id is None:
        return None
    return session.exec(select(Inquiry).where(Inquiry.id == inquiry.follow_up_of_id)).first()


def inquiry_history(session: Session, inquiry_id: int, limit: int = 100) -> list[AuditEvent]:
    """Events on the inquiry and on its parts, newest first, as far as the reader may see."""
    return history_of(session, "inquiry", inquiry_id, limit)


# --- choices offered by the form -------------------------------------------------------------

def inquiry_types(session: Session) -> list[InquiryType]:
    return list(session.exec(select(InquiryType).order_by(InquiryType.position, InquiryType.id)))


def ministries(session: Session) -> list[Ministry]:
    return list(session.exec(select(Ministry).order_by(Ministry.position, Ministry.id)))


def programme_choices(session: Session) -> list[Programme]:
    """Programmes the editor may link: those they can see."""
    return list(session.exec(select(Programme).order_by(Programme.reference_code)))


def programme_codes(session: Session, inquiry_id: int) -> list[str]:
    return [p.reference_code for p in linked_programmes(session, [inquiry_id])[inquiry_id]]


# --- saving the form -------------------------------------------------------------------------

@dataclass(frozen=True)
class _Resolved:
    type_id: int
    ministry_ids: dict[str, int]
    programme_ids: list[int]


def _resolve(session: Session, data: InquiryInput) -> _Resolved:
    """The ids behind the codes typed, or ValidationFailed naming each unknown one. A programme
    above the editor's clearance is unknown to them, like one that does not exist."""
    problems = {}
    type_id = session.exec(
        select(InquiryType.id).where(InquiryType.code == data.inquiry_type)).first()
    if type_id is None:
        problems["inquiry_type"] = "Choose a type from the list."
    wanted = data.addressed()
    found = dict(session.exec(
        select(Ministry.code, Ministry.id).where(Ministry.code.in_(wanted))).all())
    unknown = [code for code in wanted if code not in found]
    if unknown:
        key = "lead_ministry" if unknown == [data.lead_ministry] else "ministries"
        problems[key] = f"Unknown ministry “{unknown[0][:20]}”; choose from the list."
    programmes = dict(session.exec(
        select(Programme.reference_code, Programme.id)
        .where(Programme.reference_code.in_(data.programmes))).all())
    missing = [code for code in data.programmes if code not in programmes]
    if missing:
        problems["programmes"] = f"No programme has the reference code “{missing[0][:40]}”."
    if problems:
        raise ValidationFailed(problems)
    return _Resolved(type_id, found, [programmes[code] for code in data.programmes])


def create_inquiry(session: Session, data: InquiryInput,
                   questions: list[PastedItem] = ()) -> Inquiry:
    """A new inquiry, with the numbered questions pasted on the create form as its items."""
    inquiry = Inquiry(inquiry_type_id=0, title=data.title)
    _apply(session, inquiry, data, _resolve(session, data), visible_links=set())
    inquiry.items = [InquiryItem(number=q.number, text=q.text,
                                 classification=data.classification) for q in questions]
    session.add(inquiry)
    session.flush()
    return inquiry


def update_inquiry(session: Session, inquiry: Inquiry, data: InquiryInput,
                   opened_version: int | None) -> Inquiry:
    """Save changes made on an edit form opened at `opened_version` (Conflict if someone saved
    in between; the version column also catches a save racing this one)."""
    if opened_version != inquiry.version:
        raise Conflict(changed_since_message(session, "inquiry", inquiry.id))
    resolved = _resolve(session, data)
    visible = set(session.exec(select(Programme.id).where(
        Programme.id.in_([link.programme_id for link in inquiry.programme_links]))).all())
    _apply(session, inquiry, data, resolved, visible_links=visible)
    inquiry.updated_at = utcnow()  # also raises the version when only links changed
    with conflict_if_changed(session, "inquiry", inquiry.id):
        session.flush()
    return inquiry


def _apply(session: Session, inquiry: Inquiry, data: InquiryInput, resolved: _Resolved,
           visible_links: set[int]) -> None:
    """Copy validated input onto `inquiry`. Link rows are kept where they still apply, so the
    history shows what really changed; links to programmes the editor cannot see were not in
    their form and stay."""
    for name in ("reference", "title", "asked_by", "faction", "preamble", "submitted_on",
                 "set_due_date", "classification"):
        if getattr(inquiry, name) != getattr(data, name):
            setattr(inquiry, name, getattr(data, name))
    inquiry.inquiry_type_id = resolved.type_id

    lead_id = resolved.ministry_ids.get(data.lead_ministry)
    existing = {row.ministry_id: row for row in inquiry.ministries}
    rows = []
    for code in data.addressed():
        ministry_id = resolved.ministry_ids[code]
        row = existing.get(ministry_id) or InquiryMinistry(ministry_id=ministry_id)
        if row.lead != (ministry_id == lead_id):
            row.lead = ministry_id == lead_id
        rows.append(row)
    inquiry.ministries = rows

    links = {link.programme_id: link for link in inquiry.programme_links}
    kept = [link for pid, link in links.items() if pid not in visible_links]
    inquiry.programme_links = kept + [
        links.get(pid) or InquiryProgramme(programme_id=pid) for pid in resolved.programme_ids]

    # Parts are never less classified than the inquiry. Parts above the editor's clearance were
    # not loaded, and are already above any level they can choose.
    answer = inquiry.answer if "answer" in inquiry.__dict__ else None
    parts = [*inquiry.__dict__.get("items", [])]
    if answer is not None:
        parts += [answer, *answer.items, *answer.attachments]
    for part in parts:
        if part.classification < inquiry.classification:
            part.classification = inquiry.classification


# --- deadline, withdrawal, deletion ----------------------------------------------------------

def grant_extension(session: Session, inquiry: Inquiry, calendar: WorkingCalendar,
                    data: ExtensionInput) -> DeadlineExtension:
    """A later due date with its reason. Never earlier than the current due date."""
    if inquiry.submitted_on is None:
        raise ValidationFailed({"new_due_date": "A draft has no deadline to extend. Enter the "
                                                "date it was submitted first."})
    if inquiry.withdrawn_on is not None:
        raise ValidationFailed({"new_due_date": "The inquiry was withdrawn: it has no deadline "
                                                "to extend."})
    due = due_date_of(inquiry, calendar).date
    if data.new_due_date <= inquiry.submitted_on:
        raise ValidationFailed({"new_due_date": "The new due date must be after the inquiry "
                                                f"was submitted ({inquiry.submitted_on})."})
    if due is not None and data.new_due_date <= due:
        raise ValidationFailed({"new_due_date": "An extension must be later than the current "
                                                f"due date ({due.isoformat()})."})
    extension = DeadlineExtension(inquiry_id=inquiry.id, new_due_date=data.new_due_date,
                                  reason=data.reason)
    session.add(extension)
    session.flush()
    return extension


def set_withdrawal(session: Session, inquiry: Inquiry, withdrawn_on: date | None) -> None:
    """Withdraw the inquiry on a date, or (None) undo the withdrawal."""
    if withdrawn_on is not None:
        if inquiry.submitted_on is None:
            raise ValidationFailed({"withdrawn_on": "A draft has not been submitted, so it "
                                                    "cannot be withdrawn; delete it instead."})
        if withdrawn_on < inquiry.submitted_on:
            raise ValidationFailed({"withdrawn_on": "The inquiry cannot be withdrawn before it "
                                                    f"was submitted ({inquiry.submitted_on})."})
    if inquiry.withdrawn_on == withdrawn_on:
        return
    inquiry.withdrawn_on = withdrawn_on
    inquiry.updated_at = utcnow()
    try:
        session.flush()
    except StaleDataError:
        session.rollback()
        raise ValidationFailed({"withdrawn_on": changed_since_message(
            session, "inquiry", inquiry.id)}) from None


def delete_inquiry(session: Session, inquiry: Inquiry, store: AttachmentStore) -> None:
    """Delete an inquiry and everything it holds, each part with its own audit event.

    Only a reader who sees everything may do this (the route requires confidential clearance),
    so nothing is destroyed that the person deleting could not see, and every part is loaded:
    the ORM deletes (and the audit trail records) each one rather than the database."""
    answer = inquiry.answer
    if answer is not None:
        store.remove_after_commit(session, [a.stored_name for a in answer.attachments])
        session.delete(answer)  # with its items and attachments
        session.flush()
    for follow_up in follow_ups(session, inquiry.id):
        follow_up.follow_up_of_id = None  # recorded, rather than left to ON DELETE SET NULL
    session.delete(inquiry)  # with its items, ministries, programme links and extensions
    session.flush()
