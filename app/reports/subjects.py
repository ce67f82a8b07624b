"""What a brief or dossier is made of, checked before anything is laid out: the programme by id
or code, and whether a hearing's agenda has anything in it at the reader's clearance. Light on
purpose: web workers import it, and it must not pull in the layout engine."""

import sqlalchemy as sa
from sqlmodel import Session, select

from app.clearance import reader_clearance, reading_everything
from app.errors import NotFound
from app.hearings.service import agenda
from app.models import AgendaItem, Hearing, Programme


class NothingToRender(Exception):
    """The document would be empty; the message says why."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def agenda_refusal(session: Session, hearing: Hearing) -> str | None:
    """Why no dossier can be made of the hearing at the reader's clearance, or None."""
    if agenda(session, hearing):
        return None
    return ("This hearing has no programmes on its agenda"
            + (" that this clearance may see" if agenda_hidden(session, hearing) else "")
            + ": add programmes to the agenda first.")


def agenda_hidden(session: Session, hearing: Hearing) -> bool:
    """Whether the agenda holds programmes above the reader's clearance (said, never shown)."""
    clearance = int(reader_clearance(session))
    query = select(sa.exists(
        select(AgendaItem.id).join(Programme, Programme.id == AgendaItem.programme_id)
        .where(AgendaItem.hearing_id == hearing.id, Programme.classification > clearance)))
    with reading_everything(session):
        return bool(session.exec(query).one())


def find_programme_id(session: Session, id_or_code: str) -> int:
    """A programme the reader may see, by id or reference code (NotFound otherwise)."""
    text = id_or_code.strip()
    query = select(Programme.id).where(Programme.reference_code == text)
    if text.isdigit():
        query = select(Programme.id).where(sa.or_(Programme.id == int(text),
                                                  Programme.reference_code == text))
    found = session.exec(query.order_by(Programme.id)).first()
    if found is None:
        raise NotFound("Programme")
    return found
