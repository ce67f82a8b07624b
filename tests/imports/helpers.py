"""Building import files and running the importers on a test database."""

import csv
import io
from pathlib import Path

from sqlmodel import Session, select

from app.clearance import set_reader_clearance
from app.models import Classification, FundingLine, ImportKind, Programme, User
from app.transfer import service
from app.transfer.columns import COLUMNS, EXAMPLE_ROW
from app.transfer.plan import Plan
from tests.conftest import database_in


def programme_row(**overrides) -> dict[str, str]:
    return {**EXAMPLE_ROW, **overrides}


def csv_bytes(rows: list[dict[str, str]], columns=COLUMNS, delimiter: str = ",") -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, delimiter=delimiter, extrasaction="ignore",
                            lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def write(tmp_path: Path, name: str, content: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def preview(db: Session, kind: str, path: Path,
            clearance: Classification = Classification.CONFIDENTIAL) -> Plan:
    set_reader_clearance(db, clearance)
    return service.preview(db, ImportKind(kind), path, clearance)


def commit(db: Session, kind: str, path: Path,
           clearance: Classification = Classification.CONFIDENTIAL) -> Plan:
    set_reader_clearance(db, clearance)
    plan = service.commit(db, ImportKind(kind), path, clearance)
    if plan.refused:
        db.rollback()
    else:
        db.commit()
    set_reader_clearance(db, Classification.CONFIDENTIAL)
    return plan


def problems(plan: Plan) -> list[str]:
    return [str(p) for p in plan.problems]


def programme_count(db: Session) -> tuple[int, int]:
    db.expire_all()
    return (len(db.exec(select(Programme.id)).all()), len(db.exec(select(FundingLine.id)).all()))


def store_import_run(data_dir: Path, email: str) -> int:
    """A previewed CSV import (one new programme) uploaded by the account `email`."""
    from tests.conftest import system_session

    engine, session = system_session(database_in(data_dir))
    with session:
        user = session.exec(select(User).where(User.email == email)).one()
        store = service.ImportStore(data_dir)
        content = csv_bytes([programme_row(reference_code="IMPORTED-1")])
        upload = service.receive(store, iter([content]), 1024 * 1024)
        plan = service.preview(session, ImportKind.CSV, upload.path, user.clearance)
        run = service.start_run(session, store, upload, ImportKind.CSV, "world.csv", user.id,
                                user.name, plan)
        session.commit()
        run_id = run.id
    engine.dispose()
    return run_id
