"""Builders for inquiry forms as a browser posts them, and for answers stored directly (the
answer pages are built elsewhere)."""

import re
from datetime import date

from sqlmodel import Session, select

from app.models import (
    Answer, AnswerItem, Assessment, Attachment, Classification, Inquiry, InquiryItem, Ministry,
    RefusalReason,
)


def inquiry_form(**overrides) -> dict[str, str | list[str]]:
    """A valid inquiry form; override any field by name (None leaves it out)."""
    form: dict[str, str | list[str]] = {
        "inquiry_type": "minor_interpellation",
        "reference": "Drucksache 20/4473",
        "title": "Ertüchtigung der Streitkräfte Mosambiks",
        "asked_by": "Sevim Dağdelen, Andrej Hunko",
        "faction": "DIE LINKE",
        "ministries": ["AA", "BMVg"],
        "lead_ministry": "AA",
        "submitted_on": "2026-03-01",
        "set_due_date": "",
        "preamble": "Die Bundesregierung unterstützt die Streitkräfte.",
        "classification": "public",
    }
    form.update(overrides)
    return {k: v for k, v in form.items() if v is not None}


def create(client, **overrides) -> str:
    """Create an inquiry through the form; its address."""
    response = client.post("/inquiries", data=inquiry_form(**overrides))
    assert response.status_code == 303, response.text
    return response.headers["location"]


def id_of(location: str) -> int:
    return int(location.rstrip("/").rsplit("/", 1)[1])


def opened_version(client, location: str) -> str:
    page = client.get(f"{location}/edit").text
    return re.search(r'name="version" value="(\d+)"', page).group(1)


def items_of(db: Session, inquiry_id: int) -> list[tuple[int, str]]:
    db.expire_all()
    return [(i.number, i.text) for i in db.exec(
        select(InquiryItem).where(InquiryItem.inquiry_id == inquiry_id)
        .order_by(InquiryItem.number))]


def stored(db: Session, inquiry_id: int) -> Inquiry | None:
    db.expire_all()
    return db.get(Inquiry, inquiry_id)


def add_answer(db: Session, inquiry_id: int, *, received_on=date(2026, 3, 14),
               level=Classification.PUBLIC, annex=False) -> Answer:
    """An answer with every item assessed: the first complete, the others refused as classified
    with a follow-up; and one attachment. Stored as the answer pages would store it."""
    items = db.exec(select(InquiryItem).where(InquiryItem.inquiry_id == inquiry_id)
                    .order_by(InquiryItem.number)).all()
    ministry = db.exec(select(Ministry).where(Ministry.code == "BMVg")).one()
    answer = Answer(inquiry_id=inquiry_id, received_on=received_on, reference="Drucksache 20/4600",
                    ministry_id=ministry.id, has_classified_annex=annex, classification=level)
    db.add(answer)
    db.flush()
    for index, item in enumerate(items):
        first = index == 0
        db.add(AnswerItem(
            answer_id=answer.id, item_id=item.id, classification=max(level, item.classification),
            text=f"Antwort zu Frage {item.number}.",
            assessment=Assessment.COMPLETE if first else Assessment.REFUSED,
            refusal_reason=None if first else RefusalReason.CLASSIFIED,
            assessment_note="" if first else "Refers to the annex.", follow_up=not first))
    db.add(Attachment(answer_id=answer.id, filename="2004600.pdf", stored_name="a" * 32,
                      size_bytes=2_200_000, sha256="0" * 64, page_count=12, classification=level))
    db.commit()
    return answer
