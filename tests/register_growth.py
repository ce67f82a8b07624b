"""A register grown in steps for scale tests: programmes with notes, inquiries in every state,
answers with mixed assessments, hearings with agendas."""

from datetime import timedelta

from sqlmodel import Session, select

from app import clock
from app.audit.recorder import Actor, set_actor
from app.models import (
    AgendaItem, Answer, AnswerItem, Assessment, Classification, Hearing, Inquiry, InquiryItem,
    InquiryMinistry, InquiryProgramme, InquiryType, Instrument, Ministry, Programme, ProgrammeNote,
)

ASSESSMENTS = [Assessment.COMPLETE, Assessment.PARTIAL, None, Assessment.REFUSED]


def grow(db: Session, start: int, count: int) -> None:
    """`count` more programmes, each with notes, inquiries in every state (items, answers,
    assessments, lead ministry, link), and a hearing with the programme on its agenda; the
    first programme and hearing gain parts each time, so their pages grow too."""
    set_actor(db, Actor(None, "test set-up"))
    instrument = db.exec(select(Instrument.id)).first()
    types = list(db.exec(select(InquiryType.id)))
    ministries = list(db.exec(select(Ministry.id)))
    today = clock.today()
    for n in range(start, start + count):
        programme = Programme(reference_code=f"SCALE-{n:03d}", title=f"Programme {n}",
                              instrument_id=instrument, recipient_country="MD", status="active",
                              classification=Classification(n % 3 == 2))
        db.add(programme)
        db.flush()
        first = db.exec(select(Programme.id).order_by(Programme.id)).first()
        for target in {first, programme.id}:
            db.add(ProgrammeNote(programme_id=target, title=f"Note {n}", body="Seen on site."))
        for k in range(4):
            inquiry = Inquiry(inquiry_type_id=types[(n + k) % len(types)],
                              reference=f"20/{n}-{k}", title=f"Question {n}-{k}",
                              submitted_on=today - timedelta(days=[3, 40, 90, 10][k]) if k
                              else None)
            db.add(inquiry)
            db.flush()
            db.add(InquiryMinistry(inquiry_id=inquiry.id, lead=True,
                                   ministry_id=ministries[n % len(ministries)]))
            db.add(InquiryProgramme(inquiry_id=inquiry.id, programme_id=first))
            items = [InquiryItem(inquiry_id=inquiry.id, number=i, text=f"Item {i}?")
                     for i in range(1, 4)]
            db.add_all(items)
            db.flush()
            if k == 2:
                answer = Answer(inquiry_id=inquiry.id, received_on=today - timedelta(days=5),
                                ministry_id=ministries[0])
                db.add(answer)
                db.flush()
                db.add_all([AnswerItem(answer_id=answer.id, item_id=item.id, text="Answer.",
                                       assessment=ASSESSMENTS[(n + i) % len(ASSESSMENTS)])
                            for i, item in enumerate(items)])
        hearing = Hearing(committee="Foreign Affairs", title=f"Sitting {n}",
                          held_on=today + timedelta(days=n - 3))
        db.add(hearing)
        db.flush()
        first_hearing = db.exec(select(Hearing.id).order_by(Hearing.id)).first()
        for target in {first_hearing, hearing.id}:
            db.add(AgendaItem(hearing_id=target, programme_id=programme.id, position=n))
    db.commit()
