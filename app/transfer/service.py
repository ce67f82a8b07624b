"""Previewing and committing an import, and the record of each import run. Session first; no
HTTP. A commit re-reads the file and checks it again before writing anything: the register may
have changed since the preview, and the commit may run in another worker."""

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlmodel import Session, select

from app.errors import Conflict, NotFound, ValidationFailed
from app.files import FileStore
from app.models import Classification, ImportKind, ImportRun, utcnow
from app.transfer.plan import Change, Plan, Problem, collect

Importer = Callable[[Session, Path, Classification], Iterator[Change | Problem]]


def importer_for(kind: ImportKind) -> Importer:
    from app.transfer.csv_import import plan_csv
    from app.transfer.dip_import import plan_dip
    from app.transfer.iati_import import plan_iati

    return {ImportKind.CSV: plan_csv, ImportKind.DIP: plan_dip, ImportKind.IATI: plan_iati}[kind]


def preview(session: Session, kind: ImportKind, path: Path, clearance: Classification) -> Plan:
    """What importing the file would do, and every problem; nothing is written."""
    return collect(importer_for(kind)(session, path, clearance))


class PlanChanged(Exception):
    """The file would now do something other than the preview showed."""

    def __init__(self, plan: Plan):
        self.plan = plan


def commit(session: Session, kind: ImportKind, path: Path, clearance: Classification,
           expected: tuple[int, int, int, int] | None = None) -> Plan:
    """Apply the whole plan in the session's transaction, or nothing: a plan with problems is
    returned unapplied (`refused`), as is one that differs from `expected` (PlanChanged).
    The caller commits; on any error it rolls back."""
    plan = preview(session, kind, path, clearance)
    if plan.refused:
        return plan
    if expected is not None and plan.figures() != expected:
        raise PlanChanged(plan)
    for entry in importer_for(kind)(session, path, clearance):
        if isinstance(entry, Problem):  # the register changed between the two readings
            raise PlanChanged(collect([entry]))
        if entry.apply is not None:
            try:
                entry.apply(session)
            except (ValidationFailed, Conflict) as exc:
                session.rollback()
                raise PlanChanged(collect([Problem(entry.key, "", str(exc))])) from exc
    session.flush()
    return plan


# --- import runs: the uploaded file kept between preview and commit -----------------------------

class ImportStore(FileStore):
    def __init__(self, data_dir: Path):
        super().__init__(data_dir, "imports", what="Import file")


@dataclass(frozen=True)
class Upload:
    path: Path
    size_bytes: int
    sha256: str


def receive(store: ImportStore, chunks: Iterator[bytes], limit_bytes: int) -> Upload:
    """Copy an upload aside, counting; ValidationFailed once past the limit (checked before any
    parsing, so a huge file costs no more than its copy up to the limit)."""
    digest, size = hashlib.sha256(), 0

    def counted() -> Iterator[bytes]:
        nonlocal size
        for chunk in chunks:
            size += len(chunk)
            if size > limit_bytes:
                raise ValidationFailed({"file": too_large(limit_bytes)})
            digest.update(chunk)
            yield chunk

    path = store.write_aside(counted())
    return Upload(path, size, digest.hexdigest())


def too_large(limit_bytes: int) -> str:
    return (f"The file is larger than the import limit of {limit_bytes / 1024 / 1024:g} MB "
            "(OVERSIGHT_MAX_IMPORT_MB). Split it into smaller files.")


def start_run(session: Session, store: ImportStore, upload: Upload, kind: ImportKind,
              filename: str, user_id: int | None, user_name: str, plan: Plan) -> ImportRun:
    """Keep the uploaded file for the commit, with a row naming it and the preview's counts."""
    run = ImportRun(kind=kind, filename=filename, stored_name=store.new_name(),
                    size_bytes=upload.size_bytes, sha256=upload.sha256, user_id=user_id,
                    user_name=user_name[:200])
    _count(run, plan)
    session.add(run)
    session.flush()
    store.keep(session, upload.path, run.stored_name)
    return run


def claim(session: Session, run: ImportRun) -> bool:
    """Mark the run as being imported, in one statement: of two requests for the same file (a
    double click, two workers) one goes on and the other finds it taken. The mark is undone
    with everything else if the import is refused or fails."""
    taken = session.execute(
        sa.update(ImportRun).where(ImportRun.id == run.id, ImportRun.imported_at.is_(None))
        .values(imported_at=utcnow()).execution_options(synchronize_session=False))
    return taken.rowcount == 1


def finish_run(session: Session, store: ImportStore, run: ImportRun, plan: Plan) -> None:
    """Record what was imported; the kept file goes once that is committed."""
    _count(run, plan)
    run.imported_at = utcnow()
    store.remove_after_commit(session, [run.stored_name])
    session.flush()


def record_run(session: Session, kind: ImportKind, path: Path, user_id: int | None,
               user_name: str, plan: Plan) -> ImportRun:
    """The record of an import made without a preview kept on file (the command line)."""
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        while chunk := file.read(1024 * 1024):
            digest.update(chunk)
    run = ImportRun(kind=kind, filename=path.name[-255:], size_bytes=path.stat().st_size,
                    sha256=digest.hexdigest(), user_id=user_id, user_name=user_name[:200],
                    imported_at=utcnow())
    _count(run, plan)
    session.add(run)
    session.flush()
    return run


def replan(run: ImportRun, plan: Plan) -> None:
    """The run's counts are now those of a fresh preview (the commit finds them changed)."""
    _count(run, plan)


def check_size(path: Path, limit_bytes: int) -> None:
    """ValidationFailed for a file over the limit, before anything reads it."""
    if path.stat().st_size > limit_bytes:
        raise ValidationFailed({"file": too_large(limit_bytes)})


def expected(run: ImportRun) -> tuple[int, int, int, int]:
    return (run.created, run.updated, run.unchanged, run.problems)


def _count(run: ImportRun, plan: Plan) -> None:
    run.created, run.updated, run.unchanged, run.problems = plan.figures()


def get_run(session: Session, run_id: int, user_id: int) -> ImportRun:
    """A run of this user's (another person's uploaded file is theirs alone), or NotFound."""
    run = session.exec(select(ImportRun).where(ImportRun.id == run_id,
                                               ImportRun.user_id == user_id)).first()
    if run is None:
        raise NotFound("Import")
    return run


def recent_runs(session: Session, user_id: int, limit: int = 20) -> list[ImportRun]:
    return list(session.exec(select(ImportRun).where(ImportRun.user_id == user_id)
                             .order_by(ImportRun.id.desc()).limit(limit)))
