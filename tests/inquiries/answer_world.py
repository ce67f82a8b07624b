"""Builders for the answer tests: inquiries stored through the ORM (as the command line does),
PDFs made with fpdf2, and the answer form read from its page the way a browser submits it."""

import io
from datetime import date, timedelta
from pathlib import Path

from fpdf import FPDF
from pypdf import PdfReader, PdfWriter
from sqlmodel import Session, select

from app import clock
from app.inquiries.attachments import AttachmentStore, add_attachment
from app.models import (
    Answer, AnswerItem, Attachment, Classification, Inquiry, InquiryItem, InquiryMinistry,
    InquiryProgramme, InquiryType, Ministry,
)
from app.programmes.schemas import ProgrammeInput
from app.programmes.service import create_programme
from tests.conftest import database_in, system_session
from tests.forms import form_fields, with_values

SUBMITTED = clock.today() - timedelta(days=20)
REFERENCE = "Drucksache 20/5546"


def store_inquiry(db_path: Path, *, items: int = 3, submitted_on: date | None = SUBMITTED,
                  classification: Classification = Classification.PUBLIC,
                  reference: str = REFERENCE, title: str = "Training of the Sahel police units",
                  item_levels: dict[int, Classification] | None = None,
                  programme_ids: tuple[int, ...] = ()) -> int:
    """A minor interpellation to the Foreign Office (lead) and Defence, with numbered items,
    about the programmes given."""
    engine, session = system_session(db_path)
    with session:
        kind = session.exec(select(InquiryType).where(
            InquiryType.code == "minor_interpellation")).one()
        ministries = {m.code: m for m in session.exec(select(Ministry))}
        inquiry = Inquiry(inquiry_type_id=kind.id, reference=reference, title=title,
                          asked_by="A. Abgeordnete, B. Beispiel", faction="Example faction",
                          submitted_on=submitted_on, classification=classification)
        session.add(inquiry)
        session.flush()
        session.add(InquiryMinistry(inquiry_id=inquiry.id, ministry_id=ministries["AA"].id,
                                    lead=True))
        session.add(InquiryMinistry(inquiry_id=inquiry.id, ministry_id=ministries["BMVg"].id))
        for programme_id in programme_ids:
            session.add(InquiryProgramme(inquiry_id=inquiry.id, programme_id=programme_id))
        for number in range(1, items + 1):
            level = (item_levels or {}).get(number, classification)
            session.add(InquiryItem(inquiry_id=inquiry.id, number=number, classification=level,
                                    text=f"Question text {number}: which units were trained?"))
        session.commit()
        inquiry_id = inquiry.id
    engine.dispose()
    return inquiry_id


def store_programme(db_path: Path, code: str,
                    classification: Classification = Classification.PUBLIC) -> int:
    engine, session = system_session(db_path)
    with session:
        programme_id = create_programme(session, ProgrammeInput.model_validate({
            "reference_code": code, "title": f"Programme {code}", "instrument": "EPF",
            "recipient_country": "ML", "kinds": ["training"], "status": "active",
            "classification": classification.name.lower(),
        })).id
        session.commit()
    engine.dispose()
    return programme_id


def store_answer(db_path: Path, inquiry_id: int, *, received_on: date | None = None,
                 classification: Classification = Classification.PUBLIC,
                 assessments: dict[int, tuple] | None = None) -> int:
    """An answer; `assessments` maps item number -> (text, assessment, reason, level)."""
    engine, session = system_session(db_path)
    with session:
        answer = Answer(inquiry_id=inquiry_id, received_on=received_on or SUBMITTED
                        + timedelta(days=10), reference="Drucksache 20/5700",
                        classification=classification)
        session.add(answer)
        session.flush()
        items = {i.number: i for i in session.exec(
            select(InquiryItem).where(InquiryItem.inquiry_id == inquiry_id))}
        for number, (text, assessment, reason, level) in (assessments or {}).items():
            session.add(AnswerItem(answer_id=answer.id, item_id=items[number].id, text=text,
                                   assessment=assessment, refusal_reason=reason,
                                   classification=level))
        session.commit()
        answer_id = answer.id
    engine.dispose()
    return answer_id


def store_attachment(data_dir: Path, inquiry_id: int, *, filename: str = "answer.pdf",
                     text: str = "An answer of the Federal Government.",
                     classification: Classification = Classification.PUBLIC,
                     compress: bool = True) -> int:
    """A file of the inquiry's answer, stored as an upload is: a row and its file on disk
    (uncompressed, its text can be found in its bytes)."""
    engine, session = system_session(database_in(data_dir))
    with session:
        answer = session.exec(select(Answer).where(Answer.inquiry_id == inquiry_id)).one()
        pdf = io.BytesIO(make_pdf(text, compress=compress))
        attachment = add_attachment(
            session, AttachmentStore(data_dir), answer, pdf, filename,
            classification=classification, is_annex=False, limit_bytes=1024 * 1024)
        session.commit()
        attachment_id = attachment.id
    engine.dispose()
    return attachment_id


def answer_form(client, inquiry_id: int, **values) -> dict[str, str]:
    """The answer form as a browser would submit it, with fields changed (- written as __)."""
    page = client.get(f"/inquiries/{inquiry_id}/answer")
    assert page.status_code == 200, page.text
    return dict(with_values(list(answer_fields(page.text).items()), **values))


def answer_fields(html: str) -> dict[str, str]:
    """The answer form on a page (as shown again after a refusal), as a browser submits it."""
    return dict(form_fields(html, "answer-form"))


def item_ids(db: Session, inquiry_id: int) -> dict[int, int]:
    """Inquiry item id by number."""
    db.expire_all()
    return {i.number: i.id for i in db.exec(
        select(InquiryItem).where(InquiryItem.inquiry_id == inquiry_id))}


def item_values(ids: dict[int, int], number: int, **values) -> dict[str, str]:
    """Form values for one question: item_values(ids, 3, assessment="refused")."""
    return {f"item__{ids[number]}__{name}": value for name, value in values.items()}


def stored_answer(db: Session, inquiry_id: int) -> Answer | None:
    db.expire_all()
    return db.exec(select(Answer).where(Answer.inquiry_id == inquiry_id)).first()


def stored_answer_items(db: Session, inquiry_id: int) -> dict[int, AnswerItem]:
    """Answer items by the number of their question."""
    db.expire_all()
    rows = db.exec(select(InquiryItem.number, AnswerItem)
                   .join(AnswerItem, AnswerItem.item_id == InquiryItem.id)
                   .where(InquiryItem.inquiry_id == inquiry_id)).all()
    return {number: item for number, item in rows}


def stored_attachments(db: Session) -> list[Attachment]:
    db.expire_all()
    return list(db.exec(select(Attachment)))


def files_in(data_dir: Path) -> list[str]:
    """Every file under DATA_DIR/attachments, temporary ones included."""
    directory = data_dir / "attachments"
    return sorted(p.name for p in directory.iterdir()) if directory.exists() else []


def make_pdf(*sentences: str, compress: bool = True) -> bytes:
    pdf = FPDF()
    pdf.set_compression(compress)
    for sentence in sentences or ("An answer of the Federal Government.",):
        pdf.add_page()
        pdf.set_font("helvetica", size=12)
        pdf.multi_cell(0, 10, sentence)
    return bytes(pdf.output())


def encrypted(pdf: bytes, user_password: str, owner_password: str = "owner") -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.encrypt(user_password=user_password, owner_password=owner_password)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
