"""Briefs and dossiers generated in the background: asked for over real HTTP, made by real worker
processes, followed on the job page, and read back from the stored PDF with pypdf."""

import hashlib
import io
import re
import stat
import time

import pytest
from pypdf import PdfReader
from sqlmodel import select

from app.models import Classification, Document, JobState, RenderJob
from app.reports.jobs import WAITING_TURN
from tests.conftest import LiveServer, database_in
from tests.reports.factories import store_document, store_job
from tests.reports.jobs_world import (
    POLL_SECONDS, POLLS, TITLE, download_path, job_path, render_settings, until_finished,
)


def pdf_text(pdf: bytes) -> str:
    return " ".join(" ".join(page.extract_text() or "" for page in PdfReader(
        io.BytesIO(pdf)).pages).split())


def make_again_form(page: str) -> dict[str, str] | None:
    """The action and clearance of the first Make again form on a page, or None."""
    for form in re.finditer(r'<form method="post" action="([^"]+)" class="inline">(.*?)</form>',
                            page, re.S):
        if "Make again" in form.group(2):
            clearance = re.search(r'name="clearance" value="([^"]+)"', form.group(2))
            return {"action": form.group(1), "clearance": clearance.group(1)}
    return None


@pytest.fixture
def restricted_brief(live, register, client_for) -> str:
    """A brief of {p} made for restricted clearance (so it includes, and is marked for, the
    restricted funding line); the status block of its finished job."""
    staff = client_for(live, "staff")
    path = job_path(staff.post(f"/programmes/{register['p']}/briefs",
                               data={"clearance": "restricted"}))
    return until_finished(staff, path)


class TestBrief:
    def test_staff_generate_a_brief_and_download_the_pdf_it_stored(
            self, live, register, client_for, db, data_dir, restricted_brief):
        assert "The brief is ready" in restricted_brief
        assert "marked RESTRICTED" in restricted_brief
        response = client_for(live, "staff").get(download_path(restricted_brief))
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/pdf"
        assert response.headers["content-disposition"].startswith('attachment; filename="Brief')
        assert response.headers["cache-control"] == "no-store"

        document = db.exec(select(Document)).one()
        pdf = response.content
        assert len(PdfReader(io.BytesIO(pdf)).pages) == document.page_count
        assert hashlib.sha256(pdf).hexdigest() == document.sha256
        stored = data_dir / "documents" / document.stored_name
        assert hashlib.sha256(stored.read_bytes()).hexdigest() == document.sha256
        # Only the account that runs the service reads what is stored.
        assert stat.S_IMODE(stored.stat().st_mode) == 0o600
        assert stat.S_IMODE(stored.parent.stat().st_mode) == 0o700
        assert TITLE in pdf_text(pdf)
        assert (document.classification, document.clearance) == (Classification.RESTRICTED,
                                                                 Classification.RESTRICTED)
        assert document.parameters == {"programme": "TST-1"}
        assert document.created_by_name == "staff"

    def test_the_programme_page_lists_the_stored_brief(self, live, register, client_for, db,
                                                       restricted_brief):
        document = db.exec(select(Document)).one()
        page = client_for(live, "member_restricted").get(f"/programmes/{register['p']}").text
        assert document.sha256[:12] in page
        assert f'href="/documents/{document.id}/download"' in page
        assert "Generate brief (PDF)" not in page  # an MP reads and downloads only
        assert "Make again" not in page

    def test_staff_make_a_stored_brief_again_for_the_clearance_it_was_made_for(
            self, live, register, client_for, db, restricted_brief):
        staff = client_for(live, "staff")
        form = make_again_form(staff.get(f"/programmes/{register['p']}").text)
        assert form["action"] == f"/programmes/{register['p']}/briefs"
        assert form["clearance"] == "restricted"
        block = until_finished(staff, job_path(staff.post(
            form["action"], data={"clearance": form["clearance"]})))
        assert "marked RESTRICTED" in block
        documents = db.exec(select(Document)).all()
        assert len(documents) == 2
        assert {d.clearance for d in documents} == {Classification.RESTRICTED}

    def test_a_public_reader_neither_sees_nor_downloads_a_restricted_brief(
            self, live, register, client_for, db, restricted_brief):
        document = db.exec(select(Document)).one()
        mp = client_for(live, "member")
        page = mp.get(f"/programmes/{register['p']}").text
        assert document.sha256[:12] not in page
        assert "No stored briefs that your clearance shows" in page
        hidden = mp.get(f"/documents/{document.id}/download")
        missing = mp.get("/documents/999999/download")
        assert hidden.status_code == missing.status_code == 404
        assert hidden.text == missing.text
        assert client_for(live, "member_restricted").get(
            f"/documents/{document.id}/download").status_code == 200


class TestWhoMayAsk:
    def test_an_mp_may_not_ask_for_a_brief_or_a_dossier(self, live, register, client_for, db):
        mp = client_for(live, "member_confidential")
        assert mp.post(f"/programmes/{register['p']}/briefs",
                       data={"clearance": "public"}).status_code == 403
        assert mp.post(f"/hearings/{register['h']}/dossiers",
                       data={"clearance": "public"}).status_code == 403
        assert db.exec(select(RenderJob)).all() == []

    def test_nobody_asks_for_more_than_their_own_clearance(self, live, register, client_for, db):
        response = client_for(live, "staff_public").post(
            f"/programmes/{register['p']}/briefs", data={"clearance": "restricted"})
        assert response.status_code == 422
        assert "Choose a clearance from the list." in response.text
        assert db.exec(select(RenderJob)).all() == []


class TestDossier:
    def test_a_hearing_with_no_agenda_gets_the_reason_by_the_button_and_no_job(
            self, live, register, client_for, db):
        response = client_for(live, "staff").post(f"/hearings/{register['empty']}/dossiers",
                                                  data={"clearance": "confidential"})
        assert response.status_code == 422
        assert ('<p class="field-error" id="document-error"><span class="visually-hidden">'
                'Error:</span> This hearing has no programmes on its agenda: add programmes to '
                'the agenda first.</p>') in response.text
        assert 'aria-describedby="document-error"' in response.text
        assert db.exec(select(RenderJob)).all() == []

    def test_an_agenda_hidden_at_the_chosen_clearance_is_said_to_be_hidden(
            self, live, register, client_for, db):
        response = client_for(live, "staff").post(f"/hearings/{register['hidden']}/dossiers",
                                                  data={"clearance": "public"})
        assert response.status_code == 422
        assert "no programmes on its agenda that this clearance may see" in response.text
        assert db.exec(select(RenderJob)).all() == []

    def test_a_dossier_made_for_public_clearance_leaves_restricted_lines_out(
            self, live, register, client_for, db):
        staff = client_for(live, "staff")
        path = job_path(staff.post(f"/hearings/{register['h']}/dossiers",
                                   data={"clearance": "public"}))
        block = until_finished(staff, path)
        assert "marked PUBLIC" in block
        pdf = staff.get(download_path(block)).content
        document = db.exec(select(Document)).one()
        assert len(PdfReader(io.BytesIO(pdf)).pages) == document.page_count
        assert TITLE in pdf_text(pdf)
        assert document.parameters == {"hearing": register["h"]}
        page = client_for(live, "member").get(f"/hearings/{register['h']}").text
        assert document.sha256[:12] in page


class TestOneAtATime:
    def test_two_documents_asked_for_at_once_are_made_one_after_the_other(
            self, data_dir, register, client_for, db):
        with LiveServer(render_settings(data_dir, render_jobs=1)) as server:
            staff = client_for(server, "staff")
            paths = [job_path(staff.post(f"/programmes/{register['p']}/briefs",
                                         data={"clearance": "public"})),
                     job_path(staff.post(f"/hearings/{register['h']}/dossiers",
                                         data={"clearance": "public"}))]
            blocks = {}
            for _ in range(POLLS):
                for path in set(paths) - set(blocks):
                    block = staff.get(path, headers={"HX-Request": "true"}).text
                    if "is ready" in block or "could not be made" in block:
                        blocks[path] = block
                if len(blocks) == 2:
                    break
                time.sleep(POLL_SECONDS / 2)
        assert all("is ready" in block for block in blocks.values()), blocks
        db.expire_all()
        first, second = sorted(db.exec(select(RenderJob)).all(), key=lambda j: j.started_at)
        assert first.state is second.state is JobState.DONE
        assert first.finished_at <= second.started_at


    def test_a_document_waits_while_another_is_being_made_and_says_so(
            self, data_dir, register, client_for, empty_db, db):
        busy = store_job(empty_db, hearing_id=register["h"], state=JobState.RUNNING)
        with LiveServer(render_settings(data_dir, render_jobs=1)) as server:
            staff = client_for(server, "staff")
            path = job_path(staff.post(f"/programmes/{register['p']}/briefs",
                                       data={"clearance": "public"}))
            for _ in range(POLLS):
                block = staff.get(path, headers={"HX-Request": "true"}).text
                if WAITING_TURN in block:
                    break
                time.sleep(POLL_SECONDS / 2)
            assert WAITING_TURN in block
            # the other document ends: this one's turn comes
            job = db.get(RenderJob, busy)
            job.state = JobState.DONE
            db.commit()
            assert "The brief is ready" in until_finished(staff, path)


class TestAskingTwice:
    def test_asking_again_while_the_brief_is_being_made_goes_to_its_job(
            self, live, register, client_for, db):
        staff = client_for(live, "staff")
        ask = {"clearance": "public"}
        path = job_path(staff.post(f"/programmes/{register['p']}/briefs", data=ask))
        assert job_path(staff.post(f"/programmes/{register['p']}/briefs", data=ask)) == path
        assert "The brief is ready" in until_finished(staff, path)
        assert len(db.exec(select(RenderJob)).all()) == 1

    def test_a_dossier_waiting_to_start_is_the_one_a_second_request_gets(
            self, live, register, client_for, empty_db, db):
        job = store_job(empty_db, hearing_id=register["h"], clearance=Classification.RESTRICTED)
        response = client_for(live, "staff").post(f"/hearings/{register['h']}/dossiers",
                                                  data={"clearance": "restricted"})
        assert job_path(response) == f"/documents/jobs/{job}"
        assert [row.id for row in db.exec(select(RenderJob))] == [job]


class TestStoredDocuments:
    def test_make_again_is_offered_only_for_a_clearance_the_reader_may_ask_for(
            self, live, register, client_for, data_dir):
        # Marked PUBLIC (all it included), but made for confidential clearance.
        store_document(data_dir, programme_id=register["p"],
                       clearance=Classification.CONFIDENTIAL)
        page = client_for(live, "staff_public").get(f"/programmes/{register['p']}").text
        assert "Download<span" in page and make_again_form(page) is None
        page = client_for(live, "staff").get(f"/programmes/{register['p']}").text
        assert make_again_form(page) == {"action": f"/programmes/{register['p']}/briefs",
                                         "clearance": "confidential"}

    def test_a_brief_outlives_its_programme(self, live, register, client_for, data_dir, db):
        document = store_document(data_dir, programme_id=register["p"])
        job = store_job(database_in(data_dir), programme_id=register["p"],
                        state=JobState.DONE, document_id=document)
        staff = client_for(live, "staff")
        assert staff.post(f"/programmes/{register['p']}/delete").status_code == 303
        db.expire_all()
        assert db.get(Document, document).programme_id is None
        assert db.get(RenderJob, job) is None  # nothing is left to generate
        assert staff.get(f"/documents/{document}/download").status_code == 200
