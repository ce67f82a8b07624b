"""The register's version (app.derived's key for figures kept in a worker) rises with every
commit that changes a record, is seen only once that commit is, and never misses a change that
commits after a later one, as the newest audit event's id would on PostgreSQL."""

import pytest
from sqlmodel import Session, select

from app.audit.recorder import Actor, set_actor
from app.clearance import read_as_system
from app.db import make_engine
from app.derived import derived, register_state
from app.models import Instrument, Programme, ProgrammeStatus, RegisterVersion, User
from tests.databases import BOTH_DATABASES, url_of


def _session(engine) -> Session:
    session = read_as_system(Session(engine))
    set_actor(session, Actor(None, "test set-up"))
    return session


def _version(engine) -> int:
    with Session(engine) as session:
        return session.exec(select(RegisterVersion.version)).one()


def _programme(session: Session, code: str, *, flush: bool = True) -> None:
    instrument = session.exec(select(Instrument.id)).first()
    session.add(Programme(reference_code=code, title=f"Programme {code}", instrument_id=instrument,
                          recipient_country="ML", status=ProgrammeStatus.ACTIVE))
    if flush:
        session.flush()


@pytest.fixture(params=BOTH_DATABASES)
def engine(request):
    url = (request.getfixturevalue("pg_url") if request.param == "postgresql"
           else url_of(request.getfixturevalue("empty_db")))
    engine = make_engine(url)
    yield engine
    engine.dispose()


def test_a_commit_that_changes_a_record_raises_the_version_once(engine):
    before = _version(engine)
    with _session(engine) as session:
        _programme(session, "V-1")
        _programme(session, "V-2")
        session.commit()
    assert _version(engine) == before + 1
    with _session(engine) as session:
        session.exec(select(User)).first().last_sign_in_at = None  # bookkeeping: no event
        session.commit()
        _programme(session, "V-3")
        session.rollback()
    assert _version(engine) == before + 1
    with _session(engine) as session:
        _programme(session, "V-4", flush=False)  # flushed by the commit itself
        session.commit()
    assert _version(engine) == before + 2


def test_a_change_committed_after_a_later_one_is_not_missed(request, pg_url):
    """On PostgreSQL, A takes audit ids first, B takes later ones and commits first, a reader
    keeps a figure, then A commits: the kept figure must be stale."""
    engine = make_engine(pg_url)
    request.addfinalizer(engine.dispose)
    first, second = _session(engine), _session(engine)
    _programme(first, "A-EARLY-IDS")
    _programme(second, "B-LATER-IDS")
    second.commit()
    computed = []

    def titles(session):
        computed.append(1)
        return sorted(session.exec(select(Programme.reference_code)).all())

    with _session(engine) as reader:
        assert derived(reader, "codes", lambda: titles(reader)) == ["B-LATER-IDS"]
        kept_state = register_state(reader)
    first.commit()  # in PostgreSQL this blocks nothing: B's version row lock is released
    with _session(engine) as reader:
        assert register_state(reader) != kept_state
        assert derived(reader, "codes", lambda: titles(reader)) == ["A-EARLY-IDS", "B-LATER-IDS"]
    assert len(computed) == 2
    first.close()
    second.close()
