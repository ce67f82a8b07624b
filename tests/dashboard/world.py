"""A known world of inquiries, answers, hearings and ratings, dated relative to a given day, so
every dashboard figure can be worked out by hand (the expected values are in EXPECTED below).

Days are offsets from `today`: d(-30) is thirty days before it. Due dates are set explicitly
(`set_due_date`), so no weekend or holiday moves them whatever day the tests run on.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, time, timedelta
from pathlib import Path

from sqlmodel import Session, select

from app import clock
from app.models import (
    AgendaItem, Answer, AnswerItem, Assessment, Classification, Hearing, Inquiry, InquiryItem,
    InquiryMinistry, InquiryType, Ministry, Programme, Rating, RefusalReason, SafeguardCriterion,
    SafeguardRating,
)
from app.programmes import service as programmes
from app.programmes.schemas import ProgrammeInput
from tests.conftest import LiveServer, _settings_for, system_session

CANARY = "CANARY-d4sh80"
C, P, E, R, N = (Assessment.COMPLETE, Assessment.PARTIAL, Assessment.EVASIVE,
                 Assessment.REFUSED, Assessment.NOT_ANSWERED)
PUBLIC, RESTRICTED = Classification.PUBLIC, Classification.RESTRICTED


@dataclass
class Builder:
    session: Session
    today: date

    def d(self, offset: int) -> date:
        return self.today + timedelta(days=offset)

    def ministry(self, code: str) -> Ministry:
        return self.session.exec(select(Ministry).where(Ministry.code == code)).one()

    def inquiry(self, reference: str, *, submitted: int | None, due: int | None = None,
                lead: str | None = "AA", items: int = 0, level=PUBLIC,
                kind: str = "letter", withdrawn: int | None = None,
                title: str | None = None) -> Inquiry:
        inquiry_type = self.session.exec(
            select(InquiryType).where(InquiryType.code == kind)).one()
        inquiry = Inquiry(
            inquiry_type_id=inquiry_type.id, reference=reference,
            title=title or f"Inquiry {reference}", classification=level,
            submitted_on=None if submitted is None else self.d(submitted),
            set_due_date=None if due is None else self.d(due),
            withdrawn_on=None if withdrawn is None else self.d(withdrawn),
        )
        self.session.add(inquiry)
        self.session.flush()
        if lead:
            self.session.add(InquiryMinistry(inquiry_id=inquiry.id,
                                             ministry_id=self.ministry(lead).id, lead=True))
        for number in range(1, items + 1):
            self.session.add(InquiryItem(inquiry_id=inquiry.id, number=number,
                                         text=f"Question {number}", classification=level))
        self.session.flush()
        return inquiry

    def answer(self, inquiry: Inquiry, *, received: int, assessments: list,
               ministry: str | None = None, level=PUBLIC, text: str = "") -> Answer:
        """An answer with one answer item per assessment, for items 1, 2, ... in order;
        `assessments` may hold None (an item answered but not yet assessed)."""
        answer = Answer(inquiry_id=inquiry.id, received_on=self.d(received), classification=level,
                        ministry_id=self.ministry(ministry).id if ministry else None,
                        notes=text)
        self.session.add(answer)
        self.session.flush()
        items = self.session.exec(select(InquiryItem).where(InquiryItem.inquiry_id == inquiry.id)
                                  .order_by(InquiryItem.number)).all()
        for item, assessment in zip(items, assessments):
            self.session.add(AnswerItem(
                answer_id=answer.id, item_id=item.id, assessment=assessment, classification=level,
                text=text or f"Answer to {item.number}",
                refusal_reason=RefusalReason.CLASSIFIED if assessment == R else None,
            ))
        self.session.flush()
        return answer

    def programme(self, code: str, title: str, level=PUBLIC) -> Programme:
        return programmes.create_programme(self.session, ProgrammeInput.model_validate({
            "reference_code": code, "title": title, "instrument": "EPF",
            "recipient_country": "MD", "kinds": ["training"], "status": "active",
            "classification": level.name.lower(),
        }))

    def ratings(self, programme: Programme, *ratings: tuple[Rating, Classification]) -> None:
        criteria = self.session.exec(
            select(SafeguardCriterion).order_by(SafeguardCriterion.position)).all()
        for criterion, (rating, level) in zip(criteria, ratings):
            self.session.add(SafeguardRating(programme_id=programme.id,
                                             criterion_id=criterion.id, rating=rating,
                                             rationale="Set up for the test",
                                             classification=level))
        self.session.flush()

    def hearing(self, title: str, *, on: int, at: time | None = None, level=PUBLIC,
                agenda: tuple[Programme, ...] = (), location: str = "") -> Hearing:
        hearing = Hearing(committee="Defence Committee", title=title, held_on=self.d(on),
                          starts_at=at, classification=level, location=location)
        self.session.add(hearing)
        self.session.flush()
        for position, programme in enumerate(agenda):
            self.session.add(AgendaItem(hearing_id=hearing.id, programme_id=programme.id,
                                        position=position))
        self.session.flush()
        return hearing


def build_world(session: Session, today: date) -> dict[str, int]:
    """The world; returns record ids by name. Commits."""
    b = Builder(session, today)
    ids: dict[str, int] = {}

    # Open inquiries: overdue, due within the next 7 days, and ones that are neither.
    ids["O1"] = b.inquiry("OVD-1", submitted=-44, due=-30, lead="AA").id
    ids["O2"] = b.inquiry("OVD-2", submitted=-23, due=-9, lead="BMVg").id
    ids["O3"] = b.inquiry("OVD-R", submitted=-72, due=-58, lead="AA", level=RESTRICTED,
                          title=f"{CANARY} restricted overdue inquiry").id
    ids["O4"] = b.inquiry("OVD-4", submitted=-26, due=-17, lead="AA").id
    ids["W1"] = b.inquiry("WEEK-1", submitted=-14, due=0).id
    ids["W4"] = b.inquiry("WEEK-4", submitted=-5, due=2, lead="BMVg").id
    ids["W2"] = b.inquiry("WEEK-2", submitted=-8, due=6).id
    ids["W3"] = b.inquiry("LATER-3", submitted=-7, due=7).id
    ids["X"] = b.inquiry("WITHDRAWN-X", submitted=-9, due=5, withdrawn=-6).id
    ids["D"] = b.inquiry("DRAFT-D", submitted=None, due=3).id

    # Answered inquiries.
    a1 = b.inquiry("ANS-1", submitted=-44, due=-30, lead="AA", items=4)
    b.answer(a1, received=-33, assessments=[C, C, P, E])  # no ministry on the answer: lead AA
    a2 = b.inquiry("ANS-2", submitted=-30, due=-16, lead="AA", items=3)
    b.answer(a2, received=-13, assessments=[C, R, None], ministry="AA")
    a3 = b.inquiry("ANS-3", submitted=-16, due=-2, lead="AA", items=2)
    b.answer(a3, received=-2, assessments=[C, C], ministry="BMVg")  # answered by BMVg
    a4 = b.inquiry("ANS-4", submitted=-65, lead="BMVg", items=2, kind="major_interpellation")
    b.answer(a4, received=-8, assessments=[P, N])
    a5 = b.inquiry("ANS-5", submitted=-37, due=-23, lead="BMVg", items=2)
    b.answer(a5, received=-6, assessments=[C, C], level=RESTRICTED,
             text=f"{CANARY} restricted answer")
    a6 = b.inquiry("ANS-6", submitted=-135, due=-121, lead="AA", items=1)
    b.answer(a6, received=-124, assessments=[C])
    a7 = b.inquiry("ANS-7", submitted=-16, lead=None, items=1)
    b.answer(a7, received=-15, assessments=[C])
    ids.update(A1=a1.id, A2=a2.id, A3=a3.id, A4=a4.id, A5=a5.id, A6=a6.id, A7=a7.id)

    # Programmes and their safeguard ratings.
    p1 = b.programme("PUB-EV", "Programme lacking evidence")
    b.ratings(p1, (Rating.NO_EVIDENCE, PUBLIC), (Rating.SERIOUS_CONCERN, PUBLIC),
              (Rating.NO_EVIDENCE, PUBLIC))
    p2 = b.programme("PUB-OK", "Programme with evidence")
    b.ratings(p2, (Rating.SOME_CONCERN, PUBLIC), (Rating.NO_EVIDENCE, RESTRICTED))
    pr = b.programme("RES-EV", f"{CANARY} restricted programme", level=RESTRICTED)
    b.ratings(pr, (Rating.NO_EVIDENCE, RESTRICTED))
    ids.update(P1=p1.id, P2=p2.id, PR=pr.id)

    # Hearings: past, upcoming, restricted; agendas with a restricted programme on them.
    ids["H1"] = b.hearing("Hearing on training missions", on=2, at=time(10, 0),
                          agenda=(p1, pr), location="Room E 700").id
    ids["H2"] = b.hearing("Past hearing", on=-8, agenda=(p1,)).id
    ids["H3"] = b.hearing(f"{CANARY} restricted hearing", on=7, level=RESTRICTED).id
    ids["H4"] = b.hearing("Hearing on equipment", on=28).id
    session.commit()
    return ids


@contextmanager
def serving_world(data_dir: Path, database: Path) -> Iterator[tuple[LiveServer, dict[str, int]]]:
    """The app over HTTP on `database` with the world dated around the real today."""
    engine, session = system_session(database)
    with session:
        ids = build_world(session, clock.today())
    engine.dispose()
    with LiveServer(_settings_for(data_dir)) as live:
        yield live, ids


# Worked out by hand from the world above (see the comments in build_world).
EXPECTED = {
    PUBLIC: {
        # ANS-5's answer is restricted: for a public reader it has no answer and is overdue.
        "overdue": [("OVD-1", 30), ("ANS-5", 23), ("OVD-4", 17), ("OVD-2", 9)],
        "due_this_week": [("WEEK-1", 0), ("WEEK-4", 2), ("WEEK-2", 6)],
        "recently_answered": [("ANS-3", "2 complete"), ("ANS-4", "1 partial · 1 not answered"),
                              ("ANS-2", "1 complete · 1 refused · 1 not assessed"),
                              ("ANS-7", "1 complete")],
        "hearings": [("Hearing on training missions", 1), ("Hearing on equipment", 0)],
        "no_evidence": [("PUB-EV", 2)],
        # code: answered, on time (of those with a due date), %, median days, complete, %
        "ministries": [("AA", 3, 2, 3, 67, 11, 4, 8, 50),
                       ("BMVg", 2, 1, 1, 100, 35.5, 2, 4, 50)],
        "unattributed": 1,
    },
    RESTRICTED: {
        "overdue": [("OVD-R", 58), ("OVD-1", 30), ("OVD-4", 17), ("OVD-2", 9)],
        "due_this_week": [("WEEK-1", 0), ("WEEK-4", 2), ("WEEK-2", 6)],
        "recently_answered": [("ANS-3", "2 complete"), ("ANS-5", "2 complete"),
                              ("ANS-4", "1 partial · 1 not answered"),
                              ("ANS-2", "1 complete · 1 refused · 1 not assessed"),
                              ("ANS-7", "1 complete")],
        "hearings": [("Hearing on training missions", 2), (f"{CANARY} restricted hearing", 0),
                     ("Hearing on equipment", 0)],
        "no_evidence": [("PUB-EV", 2), ("PUB-OK", 1), ("RES-EV", 1)],
        "ministries": [("AA", 3, 2, 3, 67, 11, 4, 8, 50),
                       ("BMVg", 3, 1, 2, 50, 31, 4, 6, 67)],
        "unattributed": 1,
    },
}
