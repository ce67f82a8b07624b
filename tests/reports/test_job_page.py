"""The job page: an accessible progress bar polled by htmx (or refreshed without JavaScript),
a failure with its cause, and Retry, which works from any app worker because a job's state is
only in the database."""

import re
from datetime import timedelta

from sqlmodel import select

from app.models import JobState, RenderJob, utcnow
from tests.conftest import LiveServer
from tests.reports.factories import store_document, store_job
from tests.reports.jobs_world import (
    download_path, job_path, render_settings, until_finished,
)


class TestProgress:
    def test_a_running_job_shows_an_accessible_progress_bar_polled_every_second(
            self, live, register, client_for, empty_db):
        job = store_job(empty_db, programme_id=register["p"], state=JobState.RUNNING,
                        progress=(2, 5), section="Laying out the annex")
        page = client_for(live, "member").get(f"/documents/jobs/{job}").text
        assert '<label for="job-progress">Progress of the brief</label>' in page
        assert '<progress id="job-progress" max="100" value="40"' in page
        assert re.search(r'<p id="job-section" role="status" aria-live="polite">'
                         r'Laying out the annex \(40%\)</p>', page)
        assert 'hx-trigger="every 1s"' in page
        head = page[:page.index("</head>")]
        assert '<noscript><meta http-equiv="refresh" content="2"></noscript>' in head

    def test_htmx_gets_the_status_block_and_nothing_when_nothing_changed(
            self, live, register, client_for, empty_db):
        job = store_job(empty_db, programme_id=register["p"], state=JobState.RUNNING,
                        progress=(1, 4), section="Laying out the brief")
        mp = client_for(live, "member")
        block = mp.get(f"/documents/jobs/{job}", headers={"HX-Request": "true"})
        assert block.status_code == 200 and "<html" not in block.text
        assert 'hx-swap-oob="innerHTML"' in block.text  # the live region is filled, not replaced
        poll = re.search(r'hx-get="([^"]+)"', block.text).group(1)
        unchanged = mp.get(poll, headers={"HX-Request": "true"})
        assert unchanged.status_code == 204 and unchanged.content == b""

    def test_a_finished_job_stops_polling_and_links_its_download_and_programme(
            self, live, register, client_for, data_dir, empty_db):
        document = store_document(data_dir, programme_id=register["p"])
        job = store_job(empty_db, programme_id=register["p"], state=JobState.DONE,
                        document_id=document)
        page = client_for(live, "member").get(f"/documents/jobs/{job}").text
        assert "hx-trigger" not in page and "http-equiv" not in page
        assert f'href="/documents/{document}/download"' in page
        assert f'href="/programmes/{register["p"]}">Back to the programme' in page


class TestFailure:
    def test_a_job_that_runs_out_of_memory_says_so_and_a_retry_on_another_server_completes_it(
            self, data_dir, register, client_for, db):
        with LiveServer(render_settings(data_dir, render_memory_mb=128)) as tight:
            staff = client_for(tight, "staff")
            path = job_path(staff.post(f"/programmes/{register['p']}/briefs",
                                       data={"clearance": "public"}))
            block = until_finished(staff, path)
            assert "could not be made:</strong> ran out of memory (limit 128 MB)." in block
            assert 'id="retry"' in block
            mp_view = client_for(tight, "member").get(path).text
            assert "ran out of memory" in mp_view and 'id="retry"' not in mp_view

            # Another app worker, with room enough, on the same database: the job is there.
            with LiveServer(render_settings(data_dir)) as roomy:
                retried = client_for(roomy, "staff").post(f"{path}/retry")
                assert retried.status_code == 303 and retried.headers["location"] == path
                block = until_finished(staff, path)  # followed on the first server
        assert "The brief is ready" in block
        db.expire_all()
        job = db.exec(select(RenderJob)).one()
        assert (job.state, job.attempts, job.error) == (JobState.DONE, 2, "")

    def test_a_job_whose_worker_went_silent_counts_as_interrupted_and_can_be_retried(
            self, live, register, client_for, empty_db):
        job = store_job(empty_db, programme_id=register["p"], state=JobState.RUNNING,
                        heartbeat_at=utcnow() - timedelta(hours=1), section="Laying out")
        staff = client_for(live, "staff")
        page = staff.get(f"/documents/jobs/{job}").text
        assert "interrupted: the server stopped while it was running" in page
        assert "hx-trigger" not in page
        staff.post(f"/documents/jobs/{job}/retry")
        block = until_finished(staff, f"/documents/jobs/{job}")
        assert staff.get(download_path(block)).content.startswith(b"%PDF-")

    def test_retry_of_a_job_that_has_not_failed_changes_nothing(
            self, live, register, client_for, empty_db, db):
        job = store_job(empty_db, programme_id=register["p"])  # queued a moment ago
        response = client_for(live, "staff").post(f"/documents/jobs/{job}/retry")
        assert response.status_code == 303
        row = db.get(RenderJob, job)
        assert (row.state, row.attempts) == (JobState.QUEUED, 1)
