"""Briefs and hearing dossiers as finished PDFs: read at the session's clearance, laid out part by
part (reusing unchanged parts from the cache, laying out the rest in parallel processes), then
assembled with page numbers, contents, bookmarks and markings."""

import hashlib
import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cached_property

from sqlmodel import Session

from app import clock
from app.clearance import reader_clearance
from app.hearings.service import agenda, get_hearing
from app.inquiries.deadlines import WorkingCalendar
from app.models import Classification, Hearing
from app.reports.assemble import (
    DocumentInfo, assemble, join_pages, outline_of, part_starts,
)
from app.reports.cache import PartCache
from app.reports.content import Brief, gather_brief
from app.reports.render import RenderedPart, part_html, part_key, render_part
from app.reports.subjects import NothingToRender, agenda_hidden, agenda_refusal

# done, total, what is being laid out now
Progress = Callable[[int, int, str], None]
ANNEX_PROGRAMMES_PER_PART = 8
RUNNING_PAGES_PER_PART = 80




@dataclass(frozen=True)
class Produced:
    pdf: bytes
    title: str
    page_count: int
    marking: Classification
    parts_rendered: int
    parts_cached: int

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.pdf).hexdigest()


@dataclass(frozen=True)
class Occasion:
    """Who a document is made for and when: the same for every part of it."""

    generated_by: str
    generated_at: datetime
    today: date
    calendar: WorkingCalendar
    cache: PartCache | None = None
    processes: int = 1

    @classmethod
    def now(cls, settings, generated_by: str) -> "Occasion":
        """Made now, with the settings' calendar, part cache and layout processes."""
        return cls(generated_by, datetime.now(UTC), clock.today(), settings.working_calendar,
                   PartCache(settings.data_dir / "cache" / "parts"), settings.render_processes)


class _Steps:
    """Progress as steps of one fixed total: reading each programme, laying out each part, and
    putting the document together. Reports the step that starts now."""

    def __init__(self, progress: Progress | None, total: int):
        self.progress, self.total, self.done = progress, total, 0

    def now(self, what: str) -> None:
        if self.progress:
            self.progress(min(self.done, self.total), self.total, what)

    def finished(self, count: int = 1) -> None:
        self.done += count


@dataclass
class _Part:
    """A part to be laid out: its HTML and charts, and once laid out, its pages."""

    label: str
    html: str
    drawn: dict[str, bytes]
    tagged: bool = True
    done: RenderedPart | None = None

    @cached_property
    def key(self) -> str:
        return part_key(self.html, self.drawn, self.tagged)


def produce_brief(session: Session, programme_id: int, occasion: Occasion,
                  progress: Progress | None = None) -> Produced:
    steps = _Steps(progress, 3)
    steps.now("Reading the programme")
    brief = gather_brief(session, programme_id, occasion.calendar, occasion.today)
    steps.finished()
    clearance = reader_clearance(session)
    title = f"Brief: {brief.title}"
    part = _brief_part(brief)
    counts = _lay_out([part], occasion, steps)
    parts = [part.done]
    pages = part.done.page_count
    steps.now("Putting the brief together")
    running = _running(title, brief.marking, clearance, occasion, pages)
    pdf = assemble(parts, running, DocumentInfo(
        title=title, author=occasion.generated_by,
        subject=f"Oversight brief on {brief.reference_code}, made for {clearance.marking} "
                f"clearance; marked {brief.marking.marking}",
        created=occasion.generated_at, keywords=brief.reference_code,
    ), outline_of(parts, part_starts(parts)))
    return Produced(pdf, title, pages, brief.marking, *counts)


def produce_dossier(session: Session, hearing_id: int, occasion: Occasion,
                    progress: Progress | None = None) -> Produced:
    hearing = get_hearing(session, hearing_id)
    clearance = reader_clearance(session)
    refusal = agenda_refusal(session, hearing)
    if refusal:
        raise NothingToRender(refusal)
    entries = agenda(session, hearing)
    hidden = agenda_hidden(session, hearing)
    # read each programme, lay out each brief and each part of the annex, then the rest
    annex_parts = -(-len(entries) // ANNEX_PROGRAMMES_PER_PART)
    steps = _Steps(progress, 2 * len(entries) + annex_parts + 1)
    briefs: list[Brief] = []
    for index, entry in enumerate(entries, start=1):
        steps.now(f"Reading programme {index} of {len(entries)}: "
                  f"{entry.programme.reference_code}")
        briefs.append(gather_brief(session, entry.programme.id, occasion.calendar,
                                   occasion.today))
        steps.finished()
    marking = max([hearing.classification] + [b.marking for b in briefs])
    title = f"Dossier: {hearing.title}"
    body = [_brief_part(brief) for brief in briefs]
    annex = _annex_parts(briefs, title)
    counts = _lay_out(body + annex, occasion, steps)
    steps.now("Laying out the cover and contents, and putting the dossier together")
    front = _front(hearing, briefs, body, marking, clearance, hidden, occasion, title)
    parts = [front.done] + [p.done for p in body] + [p.done for p in annex]
    pages = sum(p.page_count for p in parts)
    running = _running(title, marking, clearance, occasion, pages)
    starts = part_starts(parts)
    outline = outline_of(parts, starts)
    pdf = assemble(parts, running, DocumentInfo(
        title=title, author=occasion.generated_by,
        subject=f"Hearing dossier of the {hearing.committee}, {hearing.held_on.isoformat()}: "
                f"{len(briefs)} programme briefs, made for {clearance.marking} clearance; "
                f"marked {marking.marking}",
        created=occasion.generated_at, keywords=", ".join(b.reference_code for b in briefs),
    ), outline)
    return Produced(pdf, title, pages, Classification(marking), counts[0], counts[1])


def _brief_part(brief: Brief) -> _Part:
    from app.reports.charts import money_charts

    drawn = money_charts(brief)
    return _Part(brief.title, part_html("brief.html", brief=brief,
                                        document_title=brief.title), drawn)


def _annex_parts(briefs: list[Brief], title: str) -> list[_Part]:
    """The annex in parts of a few programmes each: one programme's edit lays out again only
    the part that holds it, not the whole annex (which can run to dozens of pages)."""
    groups = [briefs[i:i + ANNEX_PROGRAMMES_PER_PART]
              for i in range(0, len(briefs), ANNEX_PROGRAMMES_PER_PART)]
    return [_Part("Annex: open questions" + (f" ({n} of {len(groups)})" if len(groups) > 1
                                             else ""),
                  part_html("annex.html", briefs=group, first=n == 1, document_title=title), {})
            for n, group in enumerate(groups, start=1)]


def _front(hearing: Hearing, briefs: list[Brief], body: list[_Part],
           marking: Classification, clearance: Classification, hidden: bool,
           occasion: Occasion, title: str) -> _Part:
    """Cover and contents. The contents give page numbers, which depend on how many pages the
    front itself takes: laid out until the count it assumed is the count it has."""
    # A first guess: the cover, then about 30 contents lines a page.
    front_pages = 1 + -(-(len(briefs) + 1) // 30)
    for _attempt in range(4):
        page = front_pages + 1  # page numbers as printed start at 1
        rows = []
        for brief, part in zip(briefs, body):
            rows.append((brief, page))
            page += part.done.page_count
        html = part_html("front.html", hearing=hearing, rows=rows, annex_page=page,
                         marking=marking, clearance=clearance, hidden=hidden,
                         generated_by=occasion.generated_by,
                         generated_at=occasion.generated_at, document_title=title)
        front = _Part("Contents", html, {})
        _lay_out([front], occasion, None)
        if front.done.page_count == front_pages:
            return front
        front_pages = front.done.page_count
    raise RuntimeError("the contents did not settle on a page count")


def _running(title: str, marking: Classification, clearance: Classification,
             occasion: Occasion, pages: int) -> RenderedPart:
    """The running header and footer, page for page: laid out in stretches of pages (in
    parallel, each kept in the cache), then joined."""
    stretches = [
        _Part("Header and footer", part_html(
            "running.html", title=title, marking=marking, clearance=clearance, total=pages,
            first=first, pages=min(RUNNING_PAGES_PER_PART, pages - first + 1),
            made_on=occasion.generated_at.date()), {}, tagged=False)
        for first in range(1, pages + 1, RUNNING_PAGES_PER_PART)]
    _lay_out(stretches, occasion, None)
    if len(stretches) == 1:
        return stretches[0].done
    return RenderedPart(join_pages([s.done.pdf for s in stretches]), pages)




def _lay_out(parts: list[_Part], occasion: Occasion,
             steps: _Steps | None = None) -> tuple[int, int]:
    """Lay out every part not in the cache; returns (laid out, taken from the cache)."""
    missing = []
    for part in parts:
        part.done = occasion.cache.get(part.key) if occasion.cache else None
        if part.done is None:
            missing.append(part)
    if steps:
        steps.finished(len(parts) - len(missing))
    if len(missing) > 1 and occasion.processes > 1:
        if steps:
            steps.now(f"Laying out {len(missing)} parts in {occasion.processes} processes, "
                      f"starting with {missing[0].label}")
        # fork: the children only lay out HTML they are handed; no re-import of the app.
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(min(occasion.processes, len(missing)),
                                 mp_context=context) as pool:
            futures = {pool.submit(render_part, p.html, p.drawn, p.tagged): p for p in missing}
            for future in as_completed(futures):
                _finish(futures[future], future.result(), occasion)
                if steps:
                    steps.finished()
                    steps.now(f"Laid out {futures[future].label}")
    else:
        for part in missing:
            if steps:
                steps.now(f"Laying out {part.label}")
            _finish(part, render_part(part.html, part.drawn, part.tagged), occasion)
            if steps:
                steps.finished()
    return len(missing), len(parts) - len(missing)


def _finish(part: _Part, rendered: RenderedPart, occasion: Occasion) -> None:
    part.done = rendered
    if occasion.cache:
        occasion.cache.put(part.key, rendered)


