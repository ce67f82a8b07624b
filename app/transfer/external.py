"""Outside identifiers of imported records: find the record a file names again, or remember it."""

from sqlmodel import Session, select

from app.models import ExternalId


def find_record_id(session: Session, source: str, external_id: str) -> int | None:
    return session.exec(select(ExternalId.record_id).where(
        ExternalId.source == source, ExternalId.external_id == external_id)).first()


def remember(session: Session, source: str, external_id: str, record_type: str,
             record_id: int) -> None:
    if find_record_id(session, source, external_id) is None:
        session.add(ExternalId(source=source, external_id=external_id, record_type=record_type,
                               record_id=record_id))
