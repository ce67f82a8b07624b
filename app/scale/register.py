"""A whole parliament's register for the load benchmark, bulk inserted into a throw-away
database: programmes, inquiries with items, answers assessed item by item, hearings with
agendas, about 5% of it restricted or confidential, and one account per benchmark role.

Its own throw-away data, so it is written with Core bulk inserts (no audit trail), like the
search benchmark's, whose texts it reuses; the search index is rebuilt afterwards.
"""

import random
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session

from app.accounts.service import create_user
from app.audit.recorder import Actor, set_actor
from app.clearance import read_as_system
from app.models import (
    AgendaItem, Answer, AnswerItem, Assessment, Classification, Hearing, Inquiry, InquiryItem,
    InquiryMinistry, InquiryProgramme, InquiryType, Instrument, Ministry, Programme, ProgrammeNote,
)
from app.search.benchmark import (
    ANSWERS, COUNTRIES, COUNTRIES_EN, QUESTIONS_DE, QUESTIONS_EN, TOPICS_DE, TOPICS_EN, _insert,
)
from app.search.indexer import rebuild

PASSWORD = "load-benchmark-password-1"
# (email, role, clearance): who the load clients sign in as.
ACCOUNTS = [("staff@load.example", "staff", Classification.CONFIDENTIAL),
            ("member@load.example", "member", Classification.RESTRICTED)]
STATUSES = ["planned", "active", "active", "active", "suspended", "completed"]
COUNTRY_CODES = ["ML", "NE", "SO", "MZ", "UA", "JO", "IQ", "TN", "GE", "MD", "BF", "NG", "KE",
                 "LB", "SN"]
# Days of submissions spread over, up to today.
SPAN_DAYS = 2500
BLOCK = 2000


def marking(rng: random.Random) -> int:
    """About 4% restricted and 1% confidential."""
    draw = rng.random()
    return 2 if draw < 0.01 else 1 if draw < 0.05 else 0


def is_answered(rng: random.Random, submitted: date, today: date) -> bool:
    """Governments answer most inquiries, late ones less often: a realistic few hundred stay
    open or overdue, not a fifth of the register."""
    age = (today - submitted).days
    return rng.random() < (0.995 if age > 60 else 0.7 if age > 20 else 0.15)


def fill_programmes(connection, count: int, rng: random.Random, now: datetime) -> None:
    instrument = connection.execute(sa.select(Instrument.id)).scalars().first()
    rows, notes = [], []
    for n in range(1, count + 1):
        country = rng.randrange(len(COUNTRIES_EN))
        start = date(2015, 1, 1) + timedelta(days=rng.randrange(3000))
        rows.append({
            "id": n, "reference_code": f"LOAD-{n:05d}",
            "title": f"Assistance to {COUNTRIES_EN[country]}: {rng.choice(TOPICS_EN)}",
            "instrument_id": instrument, "recipient_country": COUNTRY_CODES[country],
            "recipient_units": "", "legal_basis": f"Council Decision (CFSP) 2021/{n}",
            "implementing_bodies": "", "status": rng.choice(STATUSES),
            "summary": rng.choice(TOPICS_DE), "start_date": start,
            "end_date": start + timedelta(days=rng.randrange(300, 1500)),
            "created_at": now, "updated_at": now, "version": 1, "classification": marking(rng),
        })
        for k in range(rng.randrange(3)):
            notes.append({"programme_id": n, "title": f"Note {k + 1}",
                          "body": rng.choice(TOPICS_EN), "created_at": now, "updated_at": now,
                          "version": 1, "classification": rows[-1]["classification"]})
    _insert(connection, Programme.__table__, rows)
    _insert(connection, ProgrammeNote.__table__, notes)


def fill_inquiries(connection, programmes: int, inquiries: int, items: int, today: date,
                   rng: random.Random, now: datetime, echo: Callable[[str], None]) -> None:
    """Inquiries with `items` questions on average, a lead ministry, a programme on most; an
    answer, assessed item by item, on most."""
    types = list(connection.execute(sa.select(InquiryType.id)).scalars())
    ministries = list(connection.execute(sa.select(Ministry.id)).scalars())
    assessments = [a.value for a in Assessment] * 3 + [Assessment.COMPLETE.value] * 6 + [None]
    item_id = 0
    for first in range(1, inquiries + 1, BLOCK):
        last = min(inquiries, first + BLOCK - 1)
        batch: dict = {t: [] for t in (Inquiry, InquiryMinistry, InquiryProgramme, InquiryItem,
                                       Answer, AnswerItem)}
        for n in range(first, last + 1):
            country = rng.randrange(len(COUNTRIES))
            submitted = today - timedelta(days=rng.randrange(SPAN_DAYS))
            level = marking(rng)
            batch[Inquiry].append({
                "id": n, "inquiry_type_id": rng.choice(types),
                "reference": f"Drucksache {19 + n % 3}/{n}",
                "title": f"{rng.choice(TOPICS_DE)} in {COUNTRIES[country]}",
                "asked_by": "Abgeordnete und Fraktion", "faction": "", "preamble": "",
                "submitted_on": submitted, "created_at": now, "updated_at": now, "version": 1,
                "classification": level})
            batch[InquiryMinistry].append({"id": n, "inquiry_id": n, "lead": True,
                                           "ministry_id": rng.choice(ministries)})
            if rng.random() < 0.8:
                batch[InquiryProgramme].append({"id": n, "inquiry_id": n,
                                                "programme_id": rng.randrange(1, programmes + 1)})
            answered = is_answered(rng, submitted, today)
            if answered:
                batch[Answer].append({
                    "id": n, "inquiry_id": n, "reference": f"Drucksache 20/{n + 1}",
                    "received_on": min(today, submitted + timedelta(days=rng.randrange(5, 40))),
                    "ministry_id": rng.choice(ministries), "notes": "",
                    "has_classified_annex": False, "created_at": now, "updated_at": now,
                    "version": 1, "classification": level})
            for number in range(1, max(1, items + rng.randrange(-2, 3)) + 1):
                item_id += 1
                german = rng.random() < 0.6
                words = {"topic": rng.choice(TOPICS_DE if german else TOPICS_EN),
                         "country": (COUNTRIES if german else COUNTRIES_EN)[country],
                         "year": rng.randrange(2015, 2027), "n": number}
                batch[InquiryItem].append({
                    "id": item_id, "inquiry_id": n, "number": number, "classification": level,
                    "text": rng.choice(QUESTIONS_DE if german else QUESTIONS_EN).format(**words)})
                if answered:
                    assessment = rng.choice(assessments)
                    batch[AnswerItem].append({
                        "id": item_id, "answer_id": n, "item_id": item_id,
                        "text": rng.choice(ANSWERS).format(**words), "assessment": assessment,
                        "refusal_reason": "classified" if assessment == "refused" else None,
                        "assessment_note": "", "follow_up": False, "classification": level})
        for model, rows in batch.items():
            _insert(connection, model.__table__, rows)
        if last % 20_000 < BLOCK:
            echo(f"  {last} inquiries")


def fill_hearings(connection, programmes: int, today: date, rng: random.Random,
                  now: datetime) -> None:
    """A hearing every week for the span, with three to eight programmes on its agenda."""
    hearings, agenda = [], []
    for n in range(1, SPAN_DAYS // 7 + 30):
        held = today - timedelta(days=SPAN_DAYS) + timedelta(days=7 * n)
        hearings.append({"id": n, "committee": "Committee on Foreign Affairs", "held_on": held,
                         "title": f"Sitting {n}", "location": "Room E 400", "notes": "",
                         "created_at": now, "updated_at": now, "version": 1,
                         "classification": marking(rng)})
        for position, programme in enumerate(
                rng.sample(range(1, programmes + 1), min(programmes, rng.randrange(3, 9)))):
            agenda.append({"hearing_id": n, "programme_id": programme, "position": position,
                           "note": ""})
    _insert(connection, Hearing.__table__, hearings)
    _insert(connection, AgendaItem.__table__, agenda)


def build(engine, programmes: int, inquiries: int, items: int, today: date,
          echo: Callable[[str], None]) -> None:
    """Fill a migrated, empty database and index it for search."""
    rng = random.Random(7)
    now = datetime.now(UTC)
    with engine.begin() as connection:
        fill_programmes(connection, programmes, rng, now)
        fill_inquiries(connection, programmes, inquiries, items, today, rng, now, echo)
        fill_hearings(connection, programmes, today, rng, now)
    echo("  indexing for search ...")
    with engine.begin() as connection:
        rebuild(connection)
    with Session(engine) as session:
        read_as_system(session)
        set_actor(session, Actor(None, "load benchmark"))
        for email, role, clearance in ACCOUNTS:
            create_user(session, email=email, name=email.split("@")[0], role=role,
                        clearance=clearance, password=PASSWORD)
        session.commit()
    if engine.dialect.name == "sqlite":
        with engine.connect() as connection:
            connection.exec_driver_sql("ANALYZE")
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    else:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("ANALYZE")
