"""A fixed German and English corpus for search tests, stored through the ORM (so the index is
kept in step exactly as in the app), on SQLite or PostgreSQL alike."""

from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session, select

from app.audit.recorder import Actor, set_actor
from app.clearance import read_as_system
from app.db import make_engine
from app.models import (
    Answer, AnswerItem, Assessment, Attachment, Classification, Inquiry, InquiryItem,
    InquiryMinistry, InquiryProgramme, InquiryType, Instrument, Ministry, Programme,
    ProgrammeNote, ProgrammeStatus, Source,
)

PUBLIC, RESTRICTED = Classification.PUBLIC, Classification.RESTRICTED


@dataclass
class Corpus:
    """Ids of the stored records by a short name: "P1", "I1", "I1.1" (item), "A1.2" (answer
    item), "A1" (answer), "N1" (note), "S1" (source), "F2" (attachment)."""

    ids: dict[str, int] = field(default_factory=dict)


class open_session:
    """A system session on `url` that records its changes as the test set-up's."""

    def __init__(self, url: str):
        self.engine = make_engine(url)

    def __enter__(self) -> Session:
        self.session = read_as_system(Session(self.engine))
        set_actor(self.session, Actor(None, "test set-up"))
        return self.session

    def __exit__(self, *exc) -> None:
        self.session.close()
        self.engine.dispose()


def _id(session: Session, model, code: str) -> int:
    return session.exec(select(model.id).where(model.code == code)).one()


def add_inquiry(session: Session, *, reference: str, title: str, items: list[str],
                type_code: str = "minor_interpellation", ministry: str = "AA",
                programme_id: int | None = None, submitted_on: date = date(2024, 2, 1),
                preamble: str = "", classification=PUBLIC,
                item_marking=PUBLIC) -> tuple[Inquiry, list[InquiryItem]]:
    inquiry = Inquiry(inquiry_type_id=_id(session, InquiryType, type_code), reference=reference,
                      title=title, preamble=preamble, submitted_on=submitted_on,
                      classification=classification)
    session.add(inquiry)
    session.flush()
    session.add(InquiryMinistry(inquiry_id=inquiry.id, ministry_id=_id(session, Ministry, ministry),
                                lead=True))
    if programme_id:
        session.add(InquiryProgramme(inquiry_id=inquiry.id, programme_id=programme_id))
    stored = [InquiryItem(inquiry_id=inquiry.id, number=n, text=text,
                          classification=max(item_marking, classification))
              for n, text in enumerate(items, start=1)]
    session.add_all(stored)
    session.flush()
    return inquiry, stored


def add_answer(session: Session, inquiry: Inquiry, items: list[InquiryItem],
               texts: list[tuple[str, Assessment | None]], *, received_on=date(2024, 3, 1),
               reference: str = "", classification=PUBLIC, item_marking=PUBLIC) -> Answer:
    answer = Answer(inquiry_id=inquiry.id, received_on=received_on, reference=reference,
                    classification=max(classification, inquiry.classification))
    session.add(answer)
    session.flush()
    session.add_all([AnswerItem(answer_id=answer.id, item_id=item.id, text=text,
                                assessment=assessment,
                                classification=max(item_marking, answer.classification))
                     for item, (text, assessment) in zip(items, texts)])
    session.flush()
    return answer


def add_attachment(session: Session, answer: Answer, filename: str, text: str,
                   classification=PUBLIC) -> Attachment:
    attachment = Attachment(answer_id=answer.id, filename=filename, stored_name=filename[:60],
                            size_bytes=100, sha256="0" * 64, page_count=1, text=text,
                            classification=max(classification, answer.classification))
    session.add(attachment)
    session.flush()
    return attachment


def add_programme(session: Session, code: str, title: str, summary: str = "",
                  classification=PUBLIC) -> Programme:
    programme = Programme(reference_code=code, title=title, summary=summary,
                          instrument_id=_id(session, Instrument, "EPF"), recipient_country="ML",
                          status=ProgrammeStatus.ACTIVE, start_date=date(2021, 12, 2),
                          classification=classification)
    session.add(programme)
    session.flush()
    return programme


def build_corpus(url: str) -> Corpus:
    corpus = Corpus()
    ids = corpus.ids
    with open_session(url) as session:
        p1 = add_programme(session, "EPF-MLI-1", "EUTM Mali training support",
                           "Ausbildungsmission der Bundeswehr für die Streitkräfte Malis.")
        p2 = add_programme(session, "EPF-NER-2", "Night-vision devices for the border police "
                           "of Niger", "Endverbleibskontrollen sind vereinbart.")
        note = ProgrammeNote(programme_id=p1.id, title="Assessment of the training",
                             body="The trained battalions were later deployed in the north.")
        source = Source(programme_id=p2.id, title="Council Decision (CFSP) 2023/1234",
                        confidence="verified", note="Lists the delivered night-vision goggles.")
        session.add_all([note, source])
        i1, i1_items = add_inquiry(
            session, reference="Drucksache 20/4473",
            title="Endverbleibskontrolle von Nachtsichtgeräten in Niger",
            preamble="Die Bundesregierung liefert Ausrüstung an die Grenzpolizei.",
            programme_id=p2.id,
            items=["Wie viele Endverbleibskontrollen fanden seit 2022 statt?",
                   "Which controls does the Government plan for the coming year?"])
        a1 = add_answer(session, i1, i1_items, [
            ("Es fanden zwei Vor-Ort-Kontrollen statt.", Assessment.PARTIAL),
            ("The Government refers to the partner's own inspections.", Assessment.EVASIVE)],
            reference="Drucksache 20/4600")
        i2, i2_items = add_inquiry(
            session, reference="Drucksache 20/7001", type_code="written_question",
            ministry="BMVg", programme_id=p1.id, submitted_on=date(2023, 5, 1),
            title="Human rights vetting of units trained in Mali",
            items=["How were the units trained by EUTM Mali vetted?",
                   "Is there parliamentary control of the deployment?"])
        a2 = add_answer(session, i2, i2_items, [("Vetting followed the EU's standards.",
                                                  Assessment.COMPLETE), ("", None)],
                        received_on=date(2023, 5, 20))
        f2 = add_attachment(session, a2, "Anlage.pdf",
                            "Anlage: Liste der ausgebildeten Bataillone und Prüfverfahren.")
        session.commit()
        ids.update(P1=p1.id, P2=p2.id, N1=note.id, S1=source.id, I1=i1.id, I2=i2.id, A1=a1.id,
                   A2=a2.id, F2=f2.id)
        for name, inquiry in (("1", i1), ("2", i2)):
            for item in session.exec(select(InquiryItem).where(
                    InquiryItem.inquiry_id == inquiry.id)):
                ids[f"I{name}.{item.number}"] = item.id
            for answer_item, number in session.exec(
                    select(AnswerItem, InquiryItem.number)
                    .join(InquiryItem, InquiryItem.id == AnswerItem.item_id)
                    .where(InquiryItem.inquiry_id == inquiry.id)):
                ids[f"A{name}.{number}"] = answer_item.id
    return corpus
