"""The backup tests' site, on SQLite or PostgreSQL: the demo register with a stored file of every
kind (an answer's attachment, a generated brief, an uploaded import awaiting its commit), and
the means to compare every table and every file before and after."""

import hashlib
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import MetaData, select
from sqlmodel import Session

from app.audit.recorder import Actor, set_actor
from app.clearance import read_as_system
from app.config import Settings
from app.db import make_engine
from app.models import Answer, Classification, Document, Programme
from app.ops.backup import STORED_FOLDERS
from tests.conftest import LiveServer
from tests.demo_sites import DATABASES, demo_settings
from tests.imports.helpers import csv_bytes, programme_row
from tests.inquiries.answer_world import make_pdf
from tests.ops.serve_process import OVERSIGHT



@dataclass
class Site:
    kind: str
    settings: Settings

    @property
    def url(self) -> str:
        return self.settings.resolved_database_url

    @property
    def data_dir(self) -> Path:
        return self.settings.data_dir

    def oversight(self, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
        """Run the `oversight` command on this site, as an administrator would."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("OVERSIGHT_")}
        env.update(OVERSIGHT_DATA_DIR=str(self.data_dir), OVERSIGHT_DATABASE_URL=self.url)
        return subprocess.run([OVERSIGHT, *args], env=env, capture_output=True, text=True,
                              timeout=300, cwd=cwd)


@pytest.fixture(params=DATABASES)
def site(request) -> Site:
    """The demo register on SQLite or PostgreSQL, with its own data folder."""
    return Site(request.param, demo_settings(request, request.param))


def store_a_file_of_each_kind(site: Site, client_for) -> None:
    """Over HTTP as staff: a PDF attached to an answer and a CSV uploaded for import (kept
    until its commit); and a brief generated and stored as the document worker does."""
    from app.reports.documents import DocumentStore, add_document
    from app.reports.produce import Occasion, produce_brief

    engine = make_engine(site.url)
    with read_as_system(Session(engine)) as session:
        answer = session.exec(select(Answer).order_by(Answer.id)).scalars().first()
        programme = session.exec(select(Programme).order_by(Programme.id)).scalars().first()
    with LiveServer(site.settings) as live:
        staff = client_for(live, "staff")
        attached = staff.post(f"/inquiries/{answer.inquiry_id}/answer/attachments",
                              data={"classification": "restricted"},
                              files={"file": ("Antwort.pdf", make_pdf("Kept in the backup."))})
        assert attached.status_code == 303, attached.text
        uploaded = staff.post("/imports", data={"kind": "csv"}, files={
            "file": ("register.csv", csv_bytes([programme_row(reference_code="BACKUP-1")]))})
        assert uploaded.status_code == 303, uploaded.text
    with Session(engine) as session:
        set_actor(session, Actor(None, "test set-up"))
        occasion = Occasion.now(site.settings, "backup test")
        produced = produce_brief(session, programme.id, occasion)
        add_document(session, DocumentStore(site.data_dir), Document(
            kind="brief", title=produced.title[:400], programme_id=programme.id,
            clearance=Classification.CONFIDENTIAL, classification=produced.marking,
            parameters={}, sha256=produced.sha256, page_count=produced.page_count,
            size_bytes=len(produced.pdf), created_by_name="backup test", render_seconds=1.0,
            parts_rendered=produced.parts_rendered, parts_cached=produced.parts_cached),
            produced.pdf)
        session.commit()
    engine.dispose()
    for folder in STORED_FOLDERS:
        assert list((site.data_dir / folder).iterdir()), f"no file in {folder}"


def every_row(url: str) -> dict[str, list[tuple]]:
    """Every table's rows (found by reflection, so none is forgotten), in primary key order."""
    engine = make_engine(url)
    metadata = MetaData()
    try:
        with engine.connect() as connection:
            metadata.reflect(connection)
            return {name: [tuple(row) for row in connection.execute(
                select(table).order_by(*(table.primary_key.columns or table.columns)))]
                for name, table in metadata.tables.items()}
    finally:
        engine.dispose()


def every_file(data_dir: Path) -> dict[str, str]:
    """sha256 of each stored file, by its path under the data folder."""
    return {path.relative_to(data_dir).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for folder in STORED_FOLDERS if (data_dir / folder).is_dir()
            for path in sorted((data_dir / folder).rglob("*")) if path.is_file()}


def wipe(site: Site) -> None:
    """Lose everything: the data folder (and with it an SQLite database), and every table of a
    PostgreSQL database."""
    shutil.rmtree(site.data_dir)
    if site.kind == "postgresql":
        engine = make_engine(site.url)
        metadata = MetaData()
        with engine.begin() as connection:
            metadata.reflect(connection)
            metadata.drop_all(connection)
        engine.dispose()
    assert nothing_stored(site)


def nothing_stored(site: Site) -> bool:
    """An empty (or no) data folder, and no SQLite file or no PostgreSQL table."""
    if site.data_dir.exists() and any(site.data_dir.iterdir()):
        return False
    if site.kind == "sqlite":
        return not Path(site.url.removeprefix("sqlite:///")).exists()
    return every_row(site.url) == {}
