"""Changing an inquiry's numbered items: add, edit, reorder, remove, and paste a block of
questions. Session first; no HTTP. Each change flushes once it is whole, so a refused change
leaves nothing behind (the route rolls back).

Removing an item does not renumber the others: the numbers are those of the printed inquiry
(the Drucksache's "Frage 7"), which the government's answer and the committee's notes cite.
An editor renumbers on purpose, by editing a number or moving an item.
"""

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from app.clearance import reading_everything, sees_everything
from app.errors import ValidationFailed
from app.inquiries.forms import NO_NUMBERED_QUESTIONS, ItemInput
from app.inquiries.paste import split_numbered
from app.models import AnswerItem, Classification, Inquiry, InquiryItem

# Far above any number a person can type (forms accept up to 999), and positive, as the
# table's check requires: where an item waits while two items swap numbers.
_PARKED = 1_000_000


def next_number(session: Session, inquiry: Inquiry) -> int:
    """The number after the inquiry's highest, counting items above the reader's clearance:
    their numbers are taken, and a gap in the numbering shows them anyway."""
    with reading_everything(session):
        highest = session.exec(
            select(sa.func.max(InquiryItem.number)).where(InquiryItem.inquiry_id == inquiry.id)
        ).one()
    return (highest or 0) + 1


def get_item(inquiry: Inquiry, item_id: int) -> InquiryItem | None:
    """The item of this inquiry (None if it is not one, or is above the reader's clearance)."""
    return next((item for item in inquiry.items if item.id == item_id), None)


def _taken(number: int, field: str = "number") -> ValidationFailed:
    return ValidationFailed({field: f"Another item already has number {number}. Choose a "
                                    "free number, or move the items to reorder them."})


def _check_free(inquiry: Inquiry, number: int, item: InquiryItem | None = None) -> None:
    if any(other.number == number and other is not item for other in inquiry.items):
        raise _taken(number)


def _flush(session: Session, number: int, field: str = "number") -> None:
    """Flush; a number taken by an item the editor cannot see is refused like any other."""
    try:
        session.flush()
    except IntegrityError as exc:
        session.rollback()
        if "number" in str(exc.orig):
            raise _taken(number, field) from exc
        raise


def add_item(session: Session, inquiry: Inquiry, data: ItemInput) -> InquiryItem:
    _check_free(inquiry, data.number)
    item = InquiryItem(inquiry_id=inquiry.id, number=data.number, text=data.text,
                       classification=max(data.classification, inquiry.classification))
    session.add(item)
    _flush(session, data.number)
    return item


def update_item(session: Session, inquiry: Inquiry, item: InquiryItem, data: ItemInput) -> None:
    _check_free(inquiry, data.number, item)
    for name, value in (("number", data.number), ("text", data.text),
                        ("classification", max(data.classification, inquiry.classification))):
        if getattr(item, name) != value:
            setattr(item, name, value)
    _flush(session, data.number)


def move_item(session: Session, inquiry: Inquiry, item: InquiryItem, direction: str) -> bool:
    """Swap numbers with the neighbouring item above or below; False if there is none.

    The unique number per inquiry is checked row by row, so the item waits on a parked number
    while its neighbour takes its place: three updates, one request, one transaction."""
    items = inquiry.items  # ordered by number
    index = items.index(item)
    other_index = index - 1 if direction == "up" else index + 1
    if direction not in ("up", "down") or not 0 <= other_index < len(items):
        return False
    other = items[other_index]
    mine, theirs = item.number, other.number
    item.number = _PARKED + mine
    session.flush()
    other.number = mine
    session.flush()
    item.number = theirs
    session.flush()
    items[index], items[other_index] = other, item
    return True


def removal_needs_clearance(inquiry: Inquiry, clearance: Classification) -> bool:
    """Once an inquiry is submitted, its items may have answers and assessments, perhaps
    classified above the editor's clearance; removing an item removes them too. So only an
    editor who sees everything may remove one. Drafts have no answer and are edited freely."""
    return inquiry.submitted_on is not None and not sees_everything(clearance)


def has_hidden_answer(session: Session, item: InquiryItem) -> bool:
    """Whether the item has an answer above the reader's clearance, which removing the item
    would destroy unseen. Drafts can have one too: an answered inquiry whose tabling date is
    not known has no submitted date."""
    query = select(AnswerItem.id).where(AnswerItem.item_id == item.id)
    seen = len(session.exec(query).all())
    with reading_everything(session):
        held = len(session.exec(query).all())
    return held > seen


def delete_item(session: Session, inquiry: Inquiry, item: InquiryItem) -> None:
    """Remove an item with its answer part (and the evidence citing it), each audited."""
    answers = list(session.exec(select(AnswerItem).where(AnswerItem.item_id == item.id)))
    for answer in answers:
        session.delete(answer)
    session.flush()  # before the item, which the database would take them with, unrecorded
    inquiry.items.remove(item)
    session.delete(item)
    session.flush()


def paste_items(session: Session, inquiry: Inquiry, text: str,
                classification: Classification) -> list[InquiryItem]:
    """The numbered questions in `text`, appended after the existing items in their order."""
    pasted = split_numbered(text).items
    if not pasted:
        raise ValidationFailed({"questions": NO_NUMBERED_QUESTIONS})
    start = next_number(session, inquiry)
    if start + len(pasted) - 1 > 999:
        raise ValidationFailed({"questions": "That many questions would number past 999."})
    level = max(classification, inquiry.classification)
    added = [InquiryItem(inquiry_id=inquiry.id, number=start + i, text=q.text,
                         classification=level) for i, q in enumerate(pasted)]
    session.add_all(added)
    _flush(session, start, "questions")
    return added
