"""Files of an answer over HTTP: a PDF judged by its content, stored under a random name outside
the static files with its text extracted, served only to readers cleared for it; every bad
upload refused with a clear message, no row and no file left behind."""

import hashlib
import io
import re
from pathlib import Path

import pytest
from sqlmodel import select

from app.files import content_disposition, safe_filename
from app.inquiries.attachments import AttachmentStore, add_attachment
from app.models import Answer, Classification
from tests.conftest import LiveServer, _settings_for
from tests.inquiries.answer_world import (
    encrypted, files_in, make_pdf, store_answer, store_inquiry, stored_attachments,
)

SENTENCE = "The Federal Government declines to name the trained units."
NOT_A_PDF = "is not a PDF: its content is something else, whatever its name says."


@pytest.fixture
def inquiry_id(empty_db) -> int:
    inquiry = store_inquiry(empty_db)
    store_answer(empty_db, inquiry)
    return inquiry


def upload(client, inquiry_id, content: bytes, filename="Antwort 20-5700.pdf",
           content_type="application/pdf", **fields):
    return client.post(f"/inquiries/{inquiry_id}/answer/attachments",
                       data={"classification": "public", **fields},
                       files={"file": (filename, content, content_type)})


def problem_next_to_the_file(html: str) -> str:
    match = re.search(r'id="upload-file-error"><span class="visually-hidden">Error:</span>'
                      r"\s*([^<]*)</p>", html)
    return match.group(1).strip() if match else ""


class TestAValidUpload:
    def test_its_text_is_extracted_and_it_is_stored_under_a_random_name(self, client,
                                                                        inquiry_id, data_dir,
                                                                        db):
        pdf = make_pdf(SENTENCE, "Annex: the second page.")
        response = upload(client, inquiry_id, pdf, is_annex="on")
        assert response.status_code == 303, response.text
        [attachment] = stored_attachments(db)
        assert response.headers["location"] == (
            f"/inquiries/{inquiry_id}/answer#attachment-{attachment.id}")
        assert (attachment.filename, attachment.page_count, attachment.size_bytes,
                attachment.sha256, attachment.is_annex) == (
            "Antwort 20-5700.pdf", 2, len(pdf), hashlib.sha256(pdf).hexdigest(), True)
        assert SENTENCE in attachment.text and "the second page" in attachment.text
        assert files_in(data_dir) == [attachment.stored_name]
        assert re.fullmatch(r"[0-9a-f]{32}", attachment.stored_name)
        assert (data_dir / "attachments" / attachment.stored_name).read_bytes() == pdf
        assert not list(Path("app/static").rglob(attachment.stored_name))

    def test_the_answer_page_lists_it(self, client, inquiry_id):
        upload(client, inquiry_id, make_pdf(SENTENCE, "Page two."), is_annex="on")
        page = client.get(f"/inquiries/{inquiry_id}/answer").text
        files = page.split('id="attachments"')[1]
        assert "Antwort 20-5700.pdf" in files and "Classified annex" in files
        assert re.search(r'<td class="num">2</td>', files)

    def test_the_name_and_the_content_type_sent_do_not_matter(self, client, inquiry_id, db):
        response = upload(client, inquiry_id, make_pdf(SENTENCE), filename="scan.txt",
                          content_type="text/plain")
        assert response.status_code == 303
        assert stored_attachments(db)[0].filename == "scan.txt"

    def test_a_pdf_locked_only_against_printing_is_readable(self, client, inquiry_id, db):
        response = upload(client, inquiry_id, encrypted(make_pdf(SENTENCE), user_password=""))
        assert response.status_code == 303, problem_next_to_the_file(response.text)
        assert SENTENCE in stored_attachments(db)[0].text

    def test_a_file_name_with_folders_and_quotes_is_only_ever_shown(self, client, inquiry_id,
                                                                   data_dir, db):
        response = upload(client, inquiry_id, make_pdf(), filename='..\\..\\Bericht "Mali".pdf')
        assert response.status_code == 303
        [attachment] = stored_attachments(db)
        assert attachment.filename == 'Bericht "Mali".pdf'
        assert files_in(data_dir) == [attachment.stored_name]
        download = client.get(f"/attachments/{attachment.id}")
        assert download.headers["content-disposition"] == (
            "attachment; filename=\"Bericht _Mali_.pdf\"; "
            "filename*=UTF-8''Bericht%20%22Mali%22.pdf")


class TestDownload:
    def test_a_reader_gets_the_file_as_an_attachment_that_is_not_cached(self, server,
                                                                         client_for, client,
                                                                         inquiry_id, db):
        pdf = make_pdf(SENTENCE)
        upload(client, inquiry_id, pdf, filename="Antwort Ä.pdf")
        [attachment] = stored_attachments(db)
        response = client_for(server, "member").get(f"/attachments/{attachment.id}")
        assert response.status_code == 200
        assert response.content == pdf
        assert response.headers["content-type"] == "application/pdf"
        assert response.headers["content-disposition"] == (
            "attachment; filename=\"Antwort _.pdf\"; filename*=UTF-8''Antwort%20%C3%84.pdf")
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["cache-control"] == "no-store"

    def test_a_restricted_file_is_not_found_for_a_reader_without_clearance(
            self, server, client_for, client, inquiry_id, db):
        upload(client, inquiry_id, make_pdf(SENTENCE), classification="restricted")
        [attachment] = stored_attachments(db)
        assert attachment.classification == Classification.RESTRICTED
        member = client_for(server, "member")
        hidden = member.get(f"/attachments/{attachment.id}")
        missing = member.get("/attachments/999999")
        assert (hidden.status_code, missing.status_code) == (404, 404)
        assert hidden.text == missing.text
        cleared = client_for(server, "member_restricted").get(f"/attachments/{attachment.id}")
        assert cleared.status_code == 200

    def test_a_file_is_never_marked_below_its_answer(self, client, empty_db, db):
        inquiry = store_inquiry(empty_db, classification=Classification.RESTRICTED)
        store_answer(empty_db, inquiry, classification=Classification.RESTRICTED)
        assert upload(client, inquiry, make_pdf(), classification="public").status_code == 303
        assert stored_attachments(db)[0].classification == Classification.RESTRICTED


class TestRefusedUploads:
    @pytest.mark.parametrize("content, message", [
        (b"PK\x03\x04 a zip archive renamed to answer.pdf", NOT_A_PDF),
        (b"Sehr geehrte Damen und Herren, anbei die Antwort.", NOT_A_PDF),
        (b"%PDF-1.7\n", "is damaged or incomplete and cannot be read as a PDF"),
        (b"", "is empty"),
    ], ids=["zip", "text", "header only", "empty"])
    def test_content_that_is_not_a_readable_pdf(self, client, inquiry_id, data_dir, db,
                                                content, message):
        self.assert_refused(upload(client, inquiry_id, content), message, data_dir, db)

    def test_a_broken_pdf(self, client, inquiry_id, data_dir, db):
        pdf = make_pdf(SENTENCE, "Page two.")
        response = upload(client, inquiry_id, pdf[: len(pdf) * 2 // 3])
        self.assert_refused(response, "“Antwort 20-5700.pdf” is damaged or incomplete and "
                                      "cannot be read as a PDF", data_dir, db)

    def test_an_encrypted_pdf(self, client, inquiry_id, data_dir, db):
        response = upload(client, inquiry_id, encrypted(make_pdf(SENTENCE), "geheim"))
        self.assert_refused(response, "password-protected PDFs cannot be read; upload an "
                                      "unprotected copy", data_dir, db)

    def test_no_file_chosen(self, client, inquiry_id, data_dir, db):
        response = client.post(f"/inquiries/{inquiry_id}/answer/attachments",
                               data={"classification": "public"},
                               files={"file": ("", b"", "application/octet-stream")})
        self.assert_refused(response, "Choose the PDF file of the answer to upload.",
                            data_dir, db)

    def test_a_marking_above_the_uploaders_clearance(self, server, client_for, inquiry_id,
                                                     data_dir, db):
        response = upload(client_for(server, "staff_public"), inquiry_id, make_pdf(),
                          classification="restricted")
        assert response.status_code == 422
        assert "above your own clearance" in response.text
        assert stored_attachments(db) == [] and files_in(data_dir) == []

    def test_larger_than_the_configured_limit(self, data_dir, empty_db, client_for, db):
        inquiry = store_inquiry(empty_db)
        store_answer(empty_db, inquiry)
        settings = _settings_for(data_dir).model_copy(update={"max_upload_mb": 1})
        with LiveServer(settings) as live:
            big = make_pdf(SENTENCE) + b"%" + b"0" * (1024 * 1024)  # a comment past %%EOF
            response = upload(client_for(live, "staff"), inquiry, big)
            page = client_for(live, "staff").get(f"/inquiries/{inquiry}/answer").text
        self.assert_refused(response, "The file is larger than the limit of 1 MB.", data_dir, db)
        assert "as a PDF of at most 1 MB" in page

    def test_an_upload_of_26_mb_gets_the_message_under_the_default_limit(self, client,
                                                                         inquiry_id, data_dir,
                                                                         db):
        big = make_pdf(SENTENCE) + b"%" + b"0" * (26 * 1024 * 1024)
        self.assert_refused(upload(client, inquiry_id, big),
                            "The file is larger than the limit of 25 MB.", data_dir, db)

    def test_only_an_answer_takes_files(self, client, empty_db, data_dir, db):
        unanswered = store_inquiry(empty_db)
        assert upload(client, unanswered, make_pdf()).status_code == 404
        assert stored_attachments(db) == [] and files_in(data_dir) == []

    @staticmethod
    def assert_refused(response, message: str, data_dir, db) -> None:
        assert response.status_code == 422
        assert message in problem_next_to_the_file(response.text)
        assert "The file was not uploaded" in response.text
        assert stored_attachments(db) == []
        assert files_in(data_dir) == []


class TestDeletingAFile:
    def test_the_row_and_the_file_go(self, client, inquiry_id, data_dir, db):
        upload(client, inquiry_id, make_pdf(SENTENCE))
        attachment_id = stored_attachments(db)[0].id
        response = client.post(f"/attachments/{attachment_id}/delete")
        assert response.status_code == 303
        assert response.headers["location"] == f"/inquiries/{inquiry_id}/answer#attachments"
        assert stored_attachments(db) == [] and files_in(data_dir) == []
        assert client.get(f"/attachments/{attachment_id}").status_code == 404


class TestTheFileFollowsTheTransaction:
    """The file is moved into place after its row is flushed; it must not outlive a rollback,
    and a committed row must keep it."""

    def test_a_rolled_back_upload_leaves_no_file(self, inquiry_id, data_dir, db):
        self.add(db, data_dir)
        db.rollback()
        assert files_in(data_dir) == []

    def test_a_committed_upload_keeps_its_file(self, inquiry_id, data_dir, db):
        attachment = self.add(db, data_dir)
        db.commit()
        assert files_in(data_dir) == [attachment.stored_name]

    @staticmethod
    def add(db, data_dir):
        answer = db.exec(select(Answer)).one()
        return add_attachment(db, AttachmentStore(data_dir), answer, io.BytesIO(make_pdf()),
                              "answer.pdf", classification=Classification.PUBLIC,
                              is_annex=False, limit_bytes=1024 * 1024)


class TestNames:
    @pytest.mark.parametrize("sent, shown", [
        ("C:\\Users\\clerk\\Antwort.pdf", "Antwort.pdf"),
        ("/etc/passwd", "passwd"),
        ("Bericht %22Mali%22.pdf", 'Bericht "Mali".pdf'),  # as browsers send a quote
        ("tab\tand\x00null.pdf", "tab and null.pdf"),
        ("", "answer.pdf"),
        (None, "answer.pdf"),
    ])
    def test_a_sent_file_name_is_reduced_to_a_name_to_show(self, sent, shown):
        assert safe_filename(sent) == shown

    def test_the_download_name_always_ends_in_pdf(self):
        assert content_disposition("Antwort") == (
            "attachment; filename=\"Antwort.pdf\"; filename*=UTF-8''Antwort.pdf")
