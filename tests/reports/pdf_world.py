"""A register to make briefs and dossiers from, and the means to read the PDFs back.

Programme PUB-1 is public with money, sources, an overdue inquiry, an answered one with an
evasive and a refused item, and ratings; restricted parts of it carry the CANARY. RES-1 is a
restricted programme; EMPTY-1 has no questions at all. Hearing "Sahel" has all three on its
agenda; hearing "Nothing" has none.
"""

import io
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from pypdf import PdfReader
from sqlmodel import Session, select

from app import clock
from app.clearance import set_reader_clearance
from app.hearings import service as hearings
from app.hearings.forms import HearingInput
from app.inquiries.deadlines import WorkingCalendar
from app.models import (
    Answer, AnswerItem, Assessment, Classification, FundingKind, FundingLine, Inquiry,
    InquiryItem, InquiryProgramme, InquiryType, Rating, RefusalReason, SafeguardRating, Source,
)
from app.reports.cache import PartCache
from app.reports.produce import Occasion, Produced, produce_brief, produce_dossier
from tests.safeguards.builders import criterion_id, programme

CANARY = "CANARY-br13f"
PUBLIC, RESTRICTED = Classification.PUBLIC, Classification.RESTRICTED
CALENDAR = WorkingCalendar("DE", "BE")


@dataclass(frozen=True)
class World:
    pub: int
    res: int
    empty: int
    sahel: int
    nothing: int


def build_world(session: Session, today: date) -> World:
    pub = programme(session, "PUB-1", sources=[
        {"title": "Council Decision (CFSP) 2021/509", "url": "https://eur-lex.europa.eu/x",
         "confidence": "verified"}])
    session.add(Source(programme_id=pub, title=f"Embassy cable {CANARY}", confidence="verified",
                       classification=RESTRICTED, position=5))
    for year, kind, cents, level in [(2024, FundingKind.COMMITMENT, 40_000_000_00, PUBLIC),
                                     (2024, FundingKind.DISBURSEMENT, 12_500_000_00, PUBLIC),
                                     (2025, FundingKind.COMMITMENT, 7_000_000_00, RESTRICTED)]:
        session.add(FundingLine(programme_id=pub, year=year, kind=kind, amount_cents=cents,
                                currency="EUR", classification=level,
                                note="Council Decision (CFSP) 2021/509, Art. 2"
                                if level == PUBLIC else ""))
    _inquiry(session, pub, "Drucksache 21/1001", "Late answer wanted",
                       today - timedelta(days=40), ["Which units were trained?"])
    answered = _inquiry(session, pub, "Drucksache 21/1002", "Vetting of units",
                        today - timedelta(days=60),
                        ["Were the units vetted?", "Who monitors end use?", "How much was spent?"])
    _answer(session, answered, "Drucksache 21/1100", today - timedelta(days=50), [
        ("The government does not comment.", Assessment.EVASIVE, None),
        ("Classified.", Assessment.REFUSED, RefusalReason.CLASSIFIED),
        ("EUR 12.5 million.", Assessment.COMPLETE, None)])
    secret = _inquiry(session, pub, "Drucksache 21/1003", f"Secret inquiry {CANARY}",
                      today - timedelta(days=20), [f"Restricted question {CANARY}?"],
                      level=RESTRICTED)
    _answer(session, secret, "VS-NfD 7", today - timedelta(days=10),
            [(f"Restricted answer {CANARY}.", Assessment.PARTIAL, None)], level=RESTRICTED)
    session.add(SafeguardRating(programme_id=pub, criterion_id=criterion_id(session, "C2"),
                                rating=Rating.SERIOUS_CONCERN,
                                rationale="Units were never vetted."))
    session.add(SafeguardRating(programme_id=pub, criterion_id=criterion_id(session, "C4"),
                                rating=Rating.NO_EVIDENCE, rationale="No monitoring reports."))
    session.add(SafeguardRating(programme_id=pub, criterion_id=criterion_id(session, "C5"),
                                rating=Rating.SOME_CONCERN, rationale=f"Rationale {CANARY}",
                                classification=RESTRICTED))
    res = programme(session, "RES-1", level=RESTRICTED)
    empty = programme(session, "EMPTY-1")
    sahel = hearings.create_hearing(session, HearingInput.model_validate({
        "committee": "Committee on Foreign Affairs", "title": "Sahel programmes",
        "held_on": today + timedelta(days=7), "classification": "public"}))
    for programme_id in (pub, res, empty):
        hearings.add_to_agenda(session, sahel, programme_id)
    nothing = hearings.create_hearing(session, HearingInput.model_validate({
        "committee": "Committee on Foreign Affairs", "title": "Nothing yet",
        "held_on": today + timedelta(days=9), "classification": "public"}))
    session.commit()
    return World(pub, res, empty, sahel.id, nothing.id)


def _inquiry(session: Session, programme_id: int, reference: str, title: str, submitted: date,
             questions: list[str], level: Classification = PUBLIC) -> Inquiry:
    minor = session.exec(
        select(InquiryType).where(InquiryType.code == "minor_interpellation")).one()
    inquiry = Inquiry(inquiry_type_id=minor.id, reference=reference, title=title,
                      submitted_on=submitted, classification=level)
    session.add(inquiry)
    session.flush()
    session.add(InquiryProgramme(inquiry_id=inquiry.id, programme_id=programme_id))
    for number, text in enumerate(questions, start=1):
        session.add(InquiryItem(inquiry_id=inquiry.id, number=number, text=text,
                                classification=level))
    session.flush()
    return inquiry


def _answer(session: Session, inquiry: Inquiry, reference: str, received: date,
            items: list[tuple[str, Assessment, RefusalReason | None]],
            level: Classification = PUBLIC) -> None:
    answer = Answer(inquiry_id=inquiry.id, received_on=received, reference=reference,
                    classification=level)
    session.add(answer)
    session.flush()
    questions = session.exec(select(InquiryItem).where(InquiryItem.inquiry_id == inquiry.id)
                             .order_by(InquiryItem.number)).all()
    for question, (text, assessment, reason) in zip(questions, items):
        session.add(AnswerItem(answer_id=answer.id, item_id=question.id, text=text,
                               assessment=assessment, refusal_reason=reason,
                               classification=level))
    session.flush()


def occasion(data_dir: Path | None = None, processes: int = 1) -> Occasion:
    return Occasion(
        generated_by="Clerk Tester", generated_at=datetime(2026, 11, 24, 9, 30, tzinfo=UTC),
        today=clock.today(), calendar=CALENDAR,
        cache=PartCache(data_dir / "cache" / "parts") if data_dir else None,
        processes=processes)


def brief_at(session: Session, programme_id: int, clearance: Classification,
             data_dir: Path | None = None) -> Produced:
    set_reader_clearance(session, clearance)
    return produce_brief(session, programme_id, occasion(data_dir))


def dossier_at(session: Session, hearing_id: int, clearance: Classification,
               data_dir: Path | None = None, processes: int = 1) -> Produced:
    set_reader_clearance(session, clearance)
    return produce_dossier(session, hearing_id, occasion(data_dir, processes))


def pages_text(pdf: bytes) -> list[str]:
    """Each page's text, whitespace folded."""
    reader = PdfReader(io.BytesIO(pdf))
    return [re.sub(r"\s+", " ", page.extract_text() or "") for page in reader.pages]


def reader_of(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def every_byte(pdf: bytes) -> bytes:
    """All a PDF holds, decompressed: every stream's data (page content, fonts, images,
    metadata) and every string (bookmarks, document info, alternative text)."""
    import pikepdf

    found = []
    with pikepdf.open(io.BytesIO(pdf)) as document:
        for obj in document.objects:
            if isinstance(obj, pikepdf.Stream):
                try:
                    found.append(obj.read_bytes())
                except pikepdf.PdfError:
                    found.append(obj.read_raw_bytes())
            elif isinstance(obj, pikepdf.Dictionary):
                found.extend(bytes(value) for value in obj.values()
                             if isinstance(value, pikepdf.String))
    return b"\n".join(found)


def figure_alt_texts(pdf: bytes) -> list[str]:
    """The alternative text of every Figure in the structure tree."""
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as document:
        return [str(obj.Alt) for obj in document.objects
                if isinstance(obj, pikepdf.Dictionary) and obj.get("/S") == "/Figure"
                and "/Alt" in obj]
