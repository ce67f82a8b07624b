"""`oversight benchmark reports`: how fast briefs and dossiers come out, on a register built for
the purpose in a throw-away data directory. Prints figures; asserts nothing.

Measured: one brief (nothing cached), a dossier of N programmes (nothing cached, then after one
programme is edited), wall time, pages per second and the peak memory of the process and its
layout workers together; and the same dossier's HTML printed by headless Chromium.
"""

import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from pypdf import PdfReader
from sqlmodel import Session, select

from app import clock
from app.clearance import read_as_system, set_reader_clearance
from app.config import Settings
from app.db import make_engine
from app.hearings import service as hearings
from app.hearings.forms import HearingInput
from app.hearings.service import agenda, get_hearing
from app.models import (
    Answer, AnswerItem, Assessment, Classification, FundingKind, FundingLine, Inquiry,
    InquiryItem, InquiryProgramme, InquiryType, Instrument, Programme, ProgrammeStatus, Rating,
    SafeguardCriterion, SafeguardRating, Source,
)
from app.reports.cache import PartCache
from app.reports.charts import money_charts
from app.reports.content import gather_brief
from app.reports.fetcher import REPORTS_DIR
from app.reports.produce import Occasion, produce_brief, produce_dossier
from app.reports.render import part_html

ASSESSMENTS = [Assessment.COMPLETE, Assessment.PARTIAL, Assessment.EVASIVE, Assessment.REFUSED,
               Assessment.NOT_ANSWERED, None]
QUESTION = ("Which units of the recipient's armed forces received equipment or training under "
            "the measure in {year}, how were they vetted for human-rights violations before "
            "delivery, and which body monitors the end use of the equipment afterwards?")
ANSWER = ("The Federal Government refers to its answer to the written question of {year}. "
          "Equipment was handed over to units designated by the partner government after a "
          "review by the embassy. End-use checks are carried out by the implementing agency "
          "together with the partner, on site where the security situation allows; reports are "
          "not published for reasons of state interest. ")


@dataclass
class Figures:
    label: str
    seconds: float
    pages: int
    peak_mb: float
    note: str = ""

    def line(self) -> str:
        rate = self.pages / self.seconds if self.seconds else 0
        return (f"{self.label:<44} {self.seconds:7.2f} s {self.pages:5d} pages "
                f"{rate:7.1f} pages/s {self.peak_mb:8.0f} MB peak  {self.note}")


class PeakMemory:
    """The largest memory of this process and all its children together, sampled every 50 ms
    from /proc (Linux). Each process counts its proportional set size (PSS): pages shared
    between a process and the layout processes it forked count once, not once per process."""

    def __init__(self, root_pid: int):
        self.root_pid = root_pid
        self.peak_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> "PeakMemory":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def peak_mb(self) -> float:
        return self.peak_kb / 1024

    def _sample(self) -> None:
        while not self._stop.is_set():
            self.peak_kb = max(self.peak_kb, sum(_rss_kb(pid) for pid in self._tree()))
            self._stop.wait(0.05)

    def _tree(self) -> list[int]:
        tree, queue = [], [self.root_pid]
        while queue:
            pid = queue.pop()
            tree.append(pid)
            for children in Path(f"/proc/{pid}/task").glob("*/children"):
                try:
                    queue.extend(int(child) for child in children.read_text().split())
                except OSError:
                    continue
        return tree


def _rss_kb(pid: int) -> int:
    """Proportional set size in kB (resident size where the kernel does not tell PSS)."""
    for path, field in ((f"/proc/{pid}/smaps_rollup", "Pss"), (f"/proc/{pid}/status", "VmRSS")):
        try:
            found = re.search(rf"^{field}:\s+(\d+) kB", Path(path).read_text(), re.MULTILINE)
        except OSError:
            continue
        if found:
            return int(found.group(1))
    return 0


def build_register(session: Session, programmes: int, today: date) -> tuple[list[int], int]:
    """`programmes` programmes of about six printed pages each, all on one hearing's agenda;
    returns (programme ids, hearing id)."""
    instrument = session.exec(select(Instrument).order_by(Instrument.id)).first()
    minor = session.exec(
        select(InquiryType).where(InquiryType.code == "minor_interpellation")).one()
    criteria = session.exec(select(SafeguardCriterion).order_by(SafeguardCriterion.position)).all()
    ids = []
    for n in range(1, programmes + 1):
        programme = Programme(
            reference_code=f"BENCH-{n:03d}", title=f"Benchmark programme {n}: equipment and "
            f"training for the armed forces of a partner state", instrument_id=instrument.id,
            recipient_country="ML", status=ProgrammeStatus.ACTIVE, legal_basis=f"Council "
            f"Decision (CFSP) 2026/{n:03d}", summary="Equipment and training. " * 20,
            recipient_units="Two infantry battalions and a logistics company",
            implementing_bodies="Ministry of Defence; implementing agency",
            start_date=date(2022, 1, 1), end_date=date(2027, 12, 31))
        session.add(programme)
        session.flush()
        ids.append(programme.id)
        for year in range(2021, 2027):
            for kind, cents in ((FundingKind.COMMITMENT, 5_000_000_00 + n * 1000_00),
                                (FundingKind.DISBURSEMENT, 2_000_000_00 + year * 100)):
                session.add(FundingLine(programme_id=programme.id, year=year, kind=kind,
                                        amount_cents=cents, currency="EUR"))
        for s in range(1, 6):
            session.add(Source(programme_id=programme.id, position=s, confidence="verified",
                               title=f"Source document {s} on programme {n}",
                               url=f"https://example.org/programme/{n}/source/{s}"))
        for index, criterion in enumerate(criteria[:10]):
            session.add(SafeguardRating(
                programme_id=programme.id, criterion_id=criterion.id,
                rating=list(Rating)[index % 4],
                rationale="The committee's reading of the answers and sources. " * 3))
        for q in range(1, 3):
            inquiry = Inquiry(inquiry_type_id=minor.id, reference=f"Drucksache 21/{n * 10 + q}",
                              title=f"Question {q} on benchmark programme {n}",
                              submitted_on=today - timedelta(days=20 * q + n % 7))
            session.add(inquiry)
            session.flush()
            session.add(InquiryProgramme(inquiry_id=inquiry.id, programme_id=programme.id))
            answer = Answer(inquiry_id=inquiry.id, received_on=inquiry.submitted_on
                            + timedelta(days=12), reference=f"Drucksache 21/{n * 10 + q + 5}")
            session.add(answer)
            session.flush()
            for i in range(1, 7):
                item = InquiryItem(inquiry_id=inquiry.id, number=i,
                                   text=QUESTION.format(year=2020 + i))
                session.add(item)
                session.flush()
                session.add(AnswerItem(answer_id=answer.id, item_id=item.id,
                                       text=ANSWER.format(year=2019 + i),
                                       assessment=ASSESSMENTS[(i + q + n) % len(ASSESSMENTS)]))
        session.flush()
    hearing = hearings.create_hearing(session, HearingInput.model_validate({
        "committee": "Committee on Foreign Affairs", "title": "Benchmark hearing",
        "held_on": today + timedelta(days=3), "classification": "public"}))
    for programme_id in ids:
        hearings.add_to_agenda(session, hearing, programme_id)
    session.commit()
    return ids, hearing.id


def run(programmes: int, processes: int, chromium: str | None, echo) -> list[Figures]:
    from alembic import command

    from app.audit.recorder import Actor, set_actor
    from app.cli import alembic_config

    folder = Path(tempfile.mkdtemp(prefix="oversight-benchmark-"))
    try:
        settings = Settings(data_dir=folder)
        command.upgrade(alembic_config(settings.resolved_database_url), "head")
        engine = make_engine(settings.resolved_database_url)
        figures = []
        with Session(engine) as session:
            read_as_system(session)
            set_actor(session, Actor(None, "benchmark"))
            echo(f"Building a register of {programmes} programmes in {folder} ...")
            ids, hearing_id = build_register(session, programmes, clock.today())
            set_reader_clearance(session, Classification.CONFIDENTIAL)
            cache = PartCache(folder / "cache" / "parts")

            def occasion() -> Occasion:
                return Occasion("benchmark", datetime.now(UTC), clock.today(),
                                settings.working_calendar, cache, processes)

            produced, figure = _timed("Brief (nothing cached)",
                                      lambda: produce_brief(session, ids[0], occasion()))
            figures.append(figure)
            echo(figure.line())
            shutil.rmtree(folder / "cache", ignore_errors=True)
            produced, figure = _timed(f"Dossier, {programmes} programmes (nothing cached)",
                                      lambda: produce_dossier(session, hearing_id, occasion()))
            figure.note = f"{processes} layout processes"
            figures.append(figure)
            echo(figure.line())
            session.get(Programme, ids[len(ids) // 2]).title += " (edited)"
            session.commit()
            _, figure = _timed("Dossier again after editing one programme",
                               lambda: produce_dossier(session, hearing_id, occasion()))
            figures.append(figure)
            echo(figure.line())
            if chromium:
                figure = _chromium(session, hearing_id, folder, chromium,
                                   settings.working_calendar)
                figures.append(figure)
                echo(figure.line())
            else:
                echo("Chromium: skipped (not found, or --chromium none).")
        engine.dispose()
        return figures
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _timed(label: str, make) -> tuple[object, Figures]:
    with PeakMemory(os.getpid()) as memory:
        start = time.perf_counter()
        produced = make()
        seconds = time.perf_counter() - start
    note = f"{produced.parts_rendered} parts laid out, {produced.parts_cached} from the cache"
    return produced, Figures(label, seconds, produced.page_count, memory.peak_mb, note)


def _chromium(session: Session, hearing_id: int, folder: Path, chromium: str,
              calendar) -> Figures:
    """The dossier's briefs and annex as one HTML file, printed to PDF by headless Chromium."""
    hearing = get_hearing(session, hearing_id)
    briefs = [gather_brief(session, e.programme.id, calendar, clock.today())
              for e in agenda(session, hearing)]
    site = folder / "chromium"
    site.mkdir()
    shutil.copy(REPORTS_DIR / "print.css", site / "print.css")
    bodies = []
    for brief in briefs:
        for name, svg in money_charts(brief).items():
            (site / f"{brief.programme_id}-{name}").write_bytes(svg)
        html = part_html("brief.html", brief=brief, document_title=brief.title)
        html = html.replace('src="report:money-', f'src="{brief.programme_id}-money-')
        bodies.append(html.split("<body>", 1)[1].rsplit("</body>", 1)[0])
    annex = part_html("annex.html", briefs=briefs, first=True, document_title="Annex")
    bodies.append(annex.split("<body>", 1)[1].rsplit("</body>", 1)[0])
    page = site / "dossier.html"
    page.write_text('<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Dossier'
                    '</title><link rel="stylesheet" href="print.css"></head><body>'
                    + "".join(bodies) + "</body></html>", encoding="utf-8")
    out = site / "dossier.pdf"
    with PeakMemory(os.getpid()) as memory:
        start = time.perf_counter()
        subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu",
                        "--disable-background-networking", "--disable-component-update",
                        "--disable-sync", "--no-first-run", "--no-pdf-header-footer",
                        f"--user-data-dir={site / 'profile'}", f"--print-to-pdf={out}",
                        page.as_uri()], check=True, capture_output=True, timeout=600)
        seconds = time.perf_counter() - start
    pages = len(PdfReader(out).pages)
    return Figures("Same dossier HTML printed by Chromium", seconds, pages, memory.peak_mb,
                   "no contents, bookmarks, running header or tags")
