"""Hearings and their agendas. Session first; no HTTP, no templates.

An agenda item is not classified itself: it is as visible as the programme it names. Every
query of agenda items therefore joins the programme, so the reader's clearance applies to it
(app.clearance), and an item naming a programme above that clearance is neither shown nor
counted nor touched.
"""

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from sqlmodel import Session, select

from app.audit.service import changed_since_message, conflict_if_changed
from app.clearance import note_marking
from app.errors import Conflict, NotFound, ValidationFailed
from app.hearings.forms import HearingInput
from app.models import AgendaItem, Hearing, Programme, utcnow
from app.paging import CHOICES_SHOWN
from app.programmes.search import MoneyTotal, _money_by_programme


@dataclass(frozen=True)
class HearingSummary:
    hearing: Hearing
    agenda_count: int


@dataclass(frozen=True)
class HearingList:
    upcoming: list[HearingSummary]
    past: list[HearingSummary]


@dataclass(frozen=True)
class AgendaEntry:
    """One agenda item as the reader sees it: the item, its programme and the money figures."""

    item: AgendaItem
    programme: Programme
    totals: list[MoneyTotal]


def list_hearings(session: Session, today: date) -> HearingList:
    """Hearings from today on, soonest first; then past ones, latest first. Each with the number
    of agenda items the reader may see."""
    hearings = session.exec(
        select(Hearing).order_by(Hearing.held_on, Hearing.starts_at, Hearing.id)
    ).all()
    counts = dict(session.exec(
        _visible(AgendaItem.hearing_id, sa.func.count()).group_by(AgendaItem.hearing_id)
    ).all())
    summaries = [HearingSummary(h, counts.get(h.id, 0)) for h in hearings]
    return HearingList(
        upcoming=[s for s in summaries if s.hearing.held_on >= today],
        past=[s for s in reversed(summaries) if s.hearing.held_on < today],
    )


def get_hearing(session: Session, hearing_id: int) -> Hearing:
    """The hearing, or NotFound, also when it is above the reader's clearance."""
    hearing = session.exec(select(Hearing).where(Hearing.id == hearing_id)).first()
    if hearing is None:
        raise NotFound("Hearing")
    return hearing


def _visible(*columns):
    """SELECT of `columns` (agenda items by default) over the agenda items whose programme the
    reader may see."""
    return select(*(columns or (AgendaItem,))).select_from(AgendaItem).join(
        Programme, Programme.id == AgendaItem.programme_id)


def agenda(session: Session, hearing: Hearing) -> list[AgendaEntry]:
    """The agenda in order, as far as the reader may see it, with each programme's figures."""
    rows = session.exec(
        _visible(AgendaItem, Programme)
        .where(AgendaItem.hearing_id == hearing.id)
        .options(selectinload(Programme.instrument))
        .order_by(AgendaItem.position, AgendaItem.id)
    ).all()
    money = _money_by_programme(session, [programme.id for _, programme in rows])
    return [AgendaEntry(item, programme, money.get(programme.id, []))
            for item, programme in rows]


@dataclass(frozen=True)
class AgendaChoices:
    """Programmes that may be added: those shown (id, label) and how many there are in all."""

    shown: list[tuple[str, str]]
    total: int
    find: str

    @property
    def too_many(self) -> bool:
        return self.total > len(self.shown)


def agenda_choices(session: Session, hearing: Hearing, find: str = "",
                   keep: int | None = None) -> AgendaChoices:
    """Programmes the reader may see that are not yet on the agenda, by reference code: all of
    them up to CHOICES_SHOWN, else those whose code or title contains `find` (none without
    it). `keep` (a programme just chosen) is shown whenever it is still a choice."""
    available = Programme.id.not_in(
        select(AgendaItem.programme_id).where(AgendaItem.hearing_id == hearing.id))
    total = session.exec(select(sa.func.count(Programme.id)).where(available)).one()
    query = (select(Programme.id, Programme.reference_code, Programme.title,
                    Programme.classification)
             .where(available).order_by(Programme.reference_code))
    if total > CHOICES_SHOWN:
        matches = sa.or_(Programme.reference_code.icontains(find, autoescape=True),
                         Programme.title.icontains(find, autoescape=True))
        if keep is not None:
            matches = sa.or_(matches, Programme.id == keep) if find else Programme.id == keep
        elif not find:
            matches = sa.false()
        query = query.where(matches).limit(CHOICES_SHOWN)
    rows = session.exec(query).all()
    # Only columns are read, so the page's marking is raised here for the titles shown.
    note_marking(session, max((row.classification for row in rows), default=None))
    return AgendaChoices([(str(row.id), f"{row.reference_code} — {row.title}"[:120])
                          for row in rows], total, find)


def create_hearing(session: Session, data: HearingInput) -> Hearing:
    hearing = Hearing(committee=data.committee, title=data.title, held_on=data.held_on)
    _apply(hearing, data)
    session.add(hearing)
    session.flush()
    return hearing


def update_hearing(session: Session, hearing: Hearing, data: HearingInput,
                   opened_version: int | None) -> Hearing:
    """Save an edit form opened at `opened_version`; Conflict if someone saved in between.

    The agenda is not part of the form, so items the editor cannot see stay as they are."""
    if opened_version != hearing.version:
        raise Conflict(changed_since_message(session, "hearing", hearing.id))
    _apply(hearing, data)
    hearing.updated_at = utcnow()
    with conflict_if_changed(session, "hearing", hearing.id):
        session.flush()
    return hearing


def _apply(hearing: Hearing, data: HearingInput) -> None:
    for name in ("committee", "title", "held_on", "starts_at", "location", "notes",
                 "classification"):
        if getattr(hearing, name) != getattr(data, name):
            setattr(hearing, name, getattr(data, name))


def delete_hearing(session: Session, hearing: Hearing) -> None:
    """Delete a hearing and its whole agenda, each item with its own audit event (the database
    would otherwise remove the items silently). The route lets only readers who see every
    programme do this, so nothing is removed that the person deleting could not see."""
    for item in session.exec(select(AgendaItem).where(AgendaItem.hearing_id == hearing.id)):
        session.delete(item)
    session.delete(hearing)
    session.flush()


# --- agenda ---------------------------------------------------------------------------------

def get_agenda_item(session: Session, hearing: Hearing, item_id: int) -> AgendaItem:
    """An item of this hearing's agenda, or NotFound, also when its programme is hidden."""
    item = session.exec(
        _visible().where(AgendaItem.id == item_id, AgendaItem.hearing_id == hearing.id)
    ).first()
    if item is None:
        raise NotFound("Agenda item")
    return item


def add_to_agenda(session: Session, hearing: Hearing, programme_id: int | None,
                  note: str = "") -> AgendaItem:
    """Put a programme the reader may see at the end of the agenda."""
    programme = session.exec(select(Programme).where(Programme.id == (programme_id or 0))).first()
    if programme is None:
        raise ValidationFailed({"programme_id": "Choose a programme from the list."})
    if session.exec(select(AgendaItem.id).where(
            AgendaItem.hearing_id == hearing.id,
            AgendaItem.programme_id == programme.id)).first() is not None:
        raise ValidationFailed({"programme_id": _already_message(programme)})
    # Positions of hidden items count too, so the new item goes after all of them.
    last = session.exec(
        select(sa.func.max(AgendaItem.position)).where(AgendaItem.hearing_id == hearing.id)
    ).one()
    item = AgendaItem(hearing_id=hearing.id, programme_id=programme.id,
                      position=(last or 0) + 1, note=note)
    session.add(item)
    try:
        session.flush()
    except IntegrityError:  # another worker added it in the same moment
        session.rollback()
        raise ValidationFailed({"programme_id": _already_message(programme)}) from None
    return item


def _already_message(programme: Programme) -> str:
    return f"{programme.reference_code} is already on this hearing's agenda."


def move_agenda_item(session: Session, hearing: Hearing, item: AgendaItem, up: bool) -> None:
    """Swap the item with its visible neighbour. Hidden items keep their positions, so a reader
    who cannot see them does not reorder them."""
    visible = list(session.exec(
        _visible().where(AgendaItem.hearing_id == hearing.id)
        .order_by(AgendaItem.position, AgendaItem.id)
    ))
    index = visible.index(item)
    other_index = index - 1 if up else index + 1
    if not 0 <= other_index < len(visible):
        return  # already first (or last): nothing to do
    other = visible[other_index]
    if item.position == other.position:  # older rows may share a position
        other.position += -1 if up else 1
    item.position, other.position = other.position, item.position
    session.flush()


def take_off_agendas(session: Session, programme_id: int) -> None:
    """Remove a programme from every agenda, each item with its audit event (for deleting the
    programme, which only a reader who sees everything may do)."""
    for item in session.exec(select(AgendaItem).where(AgendaItem.programme_id == programme_id)):
        session.delete(item)


def remove_agenda_item(session: Session, item: AgendaItem) -> None:
    session.delete(item)
    session.flush()
