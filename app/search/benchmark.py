"""`oversight benchmark search`: how fast full-text search answers on a large record, in a
throw-away database. Prints figures; asserts nothing.

The database is filled fast with bulk inserts (its own throw-away data, not the app's write
path), then indexed with `rebuild` as `oversight search reindex` does. A fixed set of German and
English queries, some with filters, runs at each clearance through `search()`, the function the
page uses; each query's median and 95th-percentile latency is printed, and the overall ones.
"""

import os
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from sqlmodel import Session

from app.clearance import set_reader_clearance
from app.db import make_engine
from app.models import (
    Answer, AnswerItem, Assessment, Classification, Inquiry, InquiryItem, InquiryMinistry,
    InquiryProgramme, InquiryType, Instrument, Ministry, Programme,
)
from app.search.indexer import rebuild
from app.search.service import SearchQuery, search

BATCH = 10_000
PROGRAMMES = 300
COUNTRIES = ["Mali", "Niger", "Somalia", "Mosambik", "Ukraine", "Jordanien", "Irak", "Tunesien",
             "Georgien", "Moldau", "Burkina Faso", "Nigeria", "Kenia", "Libanon", "Senegal"]
COUNTRIES_EN = ["Mali", "Niger", "Somalia", "Mozambique", "Ukraine", "Jordan", "Iraq", "Tunisia",
                "Georgia", "Moldova", "Burkina Faso", "Nigeria", "Kenya", "Lebanon", "Senegal"]
TOPICS_DE = ["Endverbleibskontrollen", "Menschenrechtsprüfung der Einheiten", "Ausbildungsmission",
             "Lieferung von Schutzausrüstung", "Ertüchtigungsinitiative", "Grenzschutzpolizei",
             "Munitionslieferungen", "Nachtsichtgeräte", "Drohnenabwehr", "Sanitätsausbildung",
             "Korruptionsrisiken", "zivile Opfer", "Rechenschaftspflicht", "Kleinwaffenkontrolle"]
TOPICS_EN = ["end-use monitoring", "human-rights vetting of units", "training mission",
             "delivery of protective equipment", "border police", "ammunition deliveries",
             "night-vision devices", "counter-drone systems", "medical training",
             "corruption risks", "civilian harm", "accountability", "small arms control"]
QUESTIONS_DE = [
    "Welche Erkenntnisse hat die Bundesregierung über {topic} in {country} im Jahr {year}?",
    "Wie viele Angehörige der Streitkräfte von {country} wurden {year} im Rahmen der "
    "{topic} ausgebildet, und durch wen wurden sie überprüft?",
    "Hat die Bundesregierung Kenntnis von Verstößen gegen Auflagen zu {topic} in {country}, "
    "und wenn ja, welche Konsequenzen wurden gezogen?",
    "Welche Mittel wurden {year} für {topic} in {country} gebunden und ausgezahlt?",
]
QUESTIONS_EN = [
    "What does the Government know about {topic} in {country} in {year}?",
    "How many members of the armed forces of {country} were trained in {year} under the "
    "{topic} programme, and who vetted them?",
    "Is the Government aware of breaches of conditions on {topic} in {country}, and if so, "
    "what consequences followed?",
]
ANSWERS = [
    "Die Bundesregierung verweist auf ihre Antwort zu Frage {n}. Die {topic} in {country} "
    "erfolgt durch die Botschaft gemeinsam mit dem Partner vor Ort, soweit die Sicherheitslage "
    "dies zulässt. Berichte werden aus Gründen des Staatswohls nicht veröffentlicht.",
    "The Government refers to its answer to question {n}. Monitoring of {topic} in {country} "
    "is carried out by the implementing agency with the partner on site where security allows.",
    "Eine Beantwortung in offener Form ist nicht möglich; die Antwort ist als Verschlusssache "
    "eingestuft und bei der Geheimschutzstelle des Deutschen Bundestages hinterlegt.",
]
QUERIES: list[tuple[str, dict]] = [
    ("Endverbleibskontrolle", {}), ("Endverbleibskontrolle Mali", {}),
    ("end-use monitoring", {}), ("end-use monitoring Mozambique", {}),
    ("Ausbildung", {}), ("Ausbildungsmission Niger", {}), ("training mission", {}),
    ("human rights vetting", {}), ("Menschenrechtsprüfung", {}), ("Nachtsicht", {}),
    ("Geheimschutzstelle", {"kind": "answer_item"}), ("civilian harm", {"kind": "item"}),
    ("Korruptionsrisiken Somalia", {"assessment": Assessment.EVASIVE}),
    ("Munition Ukraine", {"ministry": "BMVg"}), ("Drohnenabwehr", {"inquiry_type":
                                                                  "minor_interpellation"}),
    ("Bundesregierung", {}), ("Staatswohl", {"date_from": date(2021, 1, 1),
                                             "date_to": date(2021, 12, 31)}),
    ("accountability Lebanon", {}), ("Kleinwaffen", {"programme": 1}), ("Grenzsch", {}),
]


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def _marking(rng: random.Random) -> int:
    draw = rng.random()
    return 2 if draw < 0.04 else 1 if draw < 0.16 else 0


def _insert(connection, table, rows: list[dict]) -> None:
    for start in range(0, len(rows), BATCH):
        connection.execute(table.insert(), rows[start:start + BATCH])


def fill(connection, inquiries: int, items: int, echo: Callable[[str], None]) -> None:
    """Programmes, inquiries with items, answers with assessed items: bulk inserted."""
    rng = random.Random(6)
    now = datetime.now(UTC)
    instrument = connection.execute(sa.select(Instrument.id)).scalars().first()
    types = dict(connection.execute(sa.select(InquiryType.code, InquiryType.id)).all())
    ministries = list(connection.execute(sa.select(Ministry.id)).scalars())
    _insert(connection, Programme.__table__, [{
        "id": n, "reference_code": f"BENCH-{n:04d}",
        "title": f"Assistance to {rng.choice(COUNTRIES_EN)}: {rng.choice(TOPICS_EN)}",
        "instrument_id": instrument, "recipient_country": "ML",
        "recipient_units": "", "legal_basis": f"Council Decision (CFSP) 2021/{2000 + n}",
        "implementing_bodies": "", "status": "active", "summary": rng.choice(TOPICS_DE),
        "created_at": now, "updated_at": now, "version": 1, "classification": _marking(rng),
    } for n in range(1, PROGRAMMES + 1)])
    assessments = [a.value for a in Assessment] + [None]
    item_id = 0
    for first in range(1, inquiries + 1, BATCH // items):
        last = min(inquiries, first + BATCH // items - 1)
        rows, links, ministry_rows, item_rows, answers, answer_items = [], [], [], [], [], []
        for n in range(first, last + 1):
            country = rng.randrange(len(COUNTRIES))
            submitted = date(2018, 1, 1) + timedelta(days=rng.randrange(2500))
            rows.append({
                "id": n, "inquiry_type_id": types[rng.choice(list(types))],
                "reference": f"Drucksache {19 + n % 3}/{n}",
                "title": f"{rng.choice(TOPICS_DE)} in {COUNTRIES[country]}",
                "asked_by": "Abgeordnete und Fraktion", "faction": "", "preamble": "",
                "submitted_on": submitted, "created_at": now, "updated_at": now, "version": 1,
                "classification": _marking(rng),
            })
            ministry_rows.append({"id": n, "inquiry_id": n, "ministry_id": rng.choice(ministries),
                                  "lead": True})
            if n % 2:
                links.append({"id": n, "inquiry_id": n,
                              "programme_id": rng.randrange(1, PROGRAMMES + 1)})
            answered = rng.random() < 0.8
            if answered:
                answers.append({"id": n, "inquiry_id": n, "reference": f"Drucksache 20/{n + 1}",
                                "received_on": submitted + timedelta(days=14), "notes": "",
                                "has_classified_annex": False, "created_at": now,
                                "updated_at": now, "version": 1, "classification": 0})
            for number in range(1, items + 1):
                item_id += 1
                german = rng.random() < 0.6
                template = rng.choice(QUESTIONS_DE if german else QUESTIONS_EN)
                words = {"topic": rng.choice(TOPICS_DE if german else TOPICS_EN),
                         "country": (COUNTRIES if german else COUNTRIES_EN)[country],
                         "year": rng.randrange(2015, 2025), "n": rng.randrange(1, 30)}
                item_rows.append({"id": item_id, "inquiry_id": n, "number": number,
                                  "text": template.format(**words), "classification": 0})
                if answered:
                    assessment = rng.choice(assessments)
                    answer_items.append({
                        "id": item_id, "answer_id": n, "item_id": item_id,
                        "text": rng.choice(ANSWERS).format(**words), "assessment": assessment,
                        "refusal_reason": "classified" if assessment == "refused" else None,
                        "assessment_note": "", "follow_up": False,
                        "classification": _marking(rng)})
        for table, batch in ((Inquiry, rows), (InquiryMinistry, ministry_rows),
                             (InquiryProgramme, links), (InquiryItem, item_rows),
                             (Answer, answers), (AnswerItem, answer_items)):
            _insert(connection, table.__table__, batch)
        if last % 20_000 < BATCH // items:
            echo(f"  filled {last} inquiries")


def _database_size(engine, path: Path | None) -> int:
    if path is not None:
        return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))
    with engine.connect() as connection:
        return connection.execute(sa.text("SELECT pg_database_size(current_database())")).scalar()


def run(inquiries: int, items: int, repeats: int, database_url: str | None,
        echo: Callable[[str], None]) -> None:
    from app.cli import alembic_config

    with tempfile.TemporaryDirectory(prefix="oversight-search-bench-") as folder:
        path = None if database_url else Path(folder) / "bench.db"
        url = database_url or f"sqlite:///{path}"
        command.upgrade(alembic_config(url), "head")
        engine = make_engine(url)
        echo(f"Filling {inquiries} inquiries with {items} questions each ...")
        started = time.perf_counter()
        with engine.begin() as connection:
            fill(connection, inquiries, items, echo)
        echo(f"Filled in {time.perf_counter() - started:.1f} s.")
        started = time.perf_counter()
        with engine.begin() as connection:
            counts = rebuild(connection)
        build = time.perf_counter() - started
        if path is not None:
            with engine.connect() as connection:
                connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
                connection.exec_driver_sql("ANALYZE")
        echo(f"Index build: {sum(counts.values())} entries in {build:.1f} s "
             f"({', '.join(f'{v} {k}' for k, v in counts.items())}).")
        echo(f"Database size: {_database_size(engine, path) / 1e6:.0f} MB "
             f"(engine: {engine.dialect.name}, CPU count {os.cpu_count()}).")
        _time_queries(engine, repeats, echo)
        engine.dispose()


def _time_queries(engine, repeats: int, echo: Callable[[str], None]) -> None:
    every: list[float] = []
    echo(f"\n{'QUERY':<58} {'HITS (pub/res/conf)':>22} {'MEDIAN':>9} {'P95':>9}")
    with Session(engine) as session:
        for text, filters in QUERIES:
            timings, totals = [], []
            for level in Classification:
                set_reader_clearance(session, level)
                for repeat in range(repeats):
                    started = time.perf_counter()
                    page = search(session, SearchQuery(text=text, page=1 + repeat % 2, **filters))
                    timings.append((time.perf_counter() - started) * 1000)
                totals.append(page.total)
                session.rollback()
            every += timings
            label = text + (f"  [{', '.join(f'{k}' for k in filters)}]" if filters else "")
            echo(f"{label[:58]:<58} {'/'.join(map(str, totals)):>22} "
                 f"{statistics.median(timings):7.1f}ms {_percentile(timings, 0.95):7.1f}ms")
    echo(f"\n{'ALL QUERIES':<58} {len(every):>20} runs {statistics.median(every):7.1f}ms "
         f"{_percentile(every, 0.95):7.1f}ms")
