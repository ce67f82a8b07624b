"""Files of an answer: an upload checked by its content (a readable, unprotected PDF within the
size limit), kept under a random name in DATA_DIR/attachments (never under app/static), its text
extracted for search; removed with its record, and never left behind by a failed save."""

import hashlib
import logging
import os
import re
import secrets
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO
from urllib.parse import quote

from sqlalchemy import event
from sqlalchemy.orm import Session
from sqlmodel import select

from app.errors import NotFound, ValidationFailed
from app.models import Answer, Attachment, Classification, Inquiry

log = logging.getLogger("oversight")

CHUNK_BYTES = 1024 * 1024
# Enough for the text of a thousand dense pages; search needs no more.
MAX_TEXT_CHARS = 2_000_000
_STORED_NAME = re.compile(r"^[0-9a-f]{32}$")
_UNSAFE = re.compile(r"[\x00-\x1f\x7f]")
_REMOVE_ON_COMMIT = "attachments_remove_on_commit"
_REMOVE_ON_ROLLBACK = "attachments_remove_on_rollback"


class UploadRefused(ValidationFailed):
    """The upload is not a file we keep; the message goes next to the file field."""

    def __init__(self, message: str):
        super().__init__({"file": message})
        self.message = message


@dataclass(frozen=True)
class ReceivedFile:
    path: Path
    size_bytes: int
    sha256: str


@dataclass(frozen=True)
class PdfContent:
    page_count: int
    text: str


class AttachmentStore:
    """The directory the files live in. Files are written under a temporary name and moved into
    place only once their record is flushed; the session then removes them again if the
    transaction is rolled back, and removes deleted records' files once it commits."""

    def __init__(self, data_dir: Path):
        self.directory = Path(data_dir) / "attachments"

    def path(self, stored_name: str) -> Path:
        if not _STORED_NAME.match(stored_name):  # never a path a stored value could steer
            raise NotFound("Attachment file")
        return self.directory / stored_name

    def receive(self, stream: BinaryIO, limit_bytes: int) -> ReceivedFile:
        """Copy an upload to a temporary file, counting; stop reading once past the limit."""
        self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        temporary = self.directory / f".upload-{secrets.token_hex(16)}.part"
        digest, size = hashlib.sha256(), 0
        try:
            with open(temporary, "xb") as out:
                os.chmod(temporary, 0o600)
                while chunk := stream.read(CHUNK_BYTES):
                    size += len(chunk)
                    if size > limit_bytes:
                        raise UploadRefused(
                            f"The file is larger than the limit of {_megabytes(limit_bytes)}. "
                            "Upload a smaller copy (for example with the scans compressed), or "
                            "split it into parts.")
                    digest.update(chunk)
                    out.write(chunk)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
        return ReceivedFile(temporary, size, digest.hexdigest())

    def keep(self, session: Session, received: ReceivedFile, stored_name: str) -> None:
        """Move a received file into place for a flushed record."""
        final = self.path(stored_name)
        os.replace(received.path, final)
        session.info.setdefault(_REMOVE_ON_ROLLBACK, []).append(final)

    def remove_after_commit(self, session: Session, stored_names: Iterable[str]) -> None:
        session.info.setdefault(_REMOVE_ON_COMMIT, []).extend(
            self.path(name) for name in stored_names)


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    session.info.pop(_REMOVE_ON_ROLLBACK, None)
    for path in session.info.pop(_REMOVE_ON_COMMIT, []):
        path.unlink(missing_ok=True)


@event.listens_for(Session, "after_rollback")
def _rolled_back(session: Session) -> None:
    session.info.pop(_REMOVE_ON_COMMIT, None)
    for path in session.info.pop(_REMOVE_ON_ROLLBACK, []):
        path.unlink(missing_ok=True)


def read_pdf(path: Path, filename: str) -> PdfContent:
    """Page count and text of a PDF, or UploadRefused saying why it cannot be kept. Judged by
    the content alone: the name and the browser's content type prove nothing."""
    from pypdf import PdfReader

    with open(path, "rb") as file:
        if file.read(5) != b"%PDF-":
            raise UploadRefused(f"“{filename}” is not a PDF: its content is something else, "
                                "whatever its name says. Upload the answer as a PDF.")
    broken = (f"“{filename}” is damaged or incomplete and cannot be read as a PDF. Download it "
              "again, or ask for a new copy.")
    try:
        reader = PdfReader(path, strict=False)
        if reader.is_encrypted and not _opens_without_password(reader):
            raise UploadRefused(f"“{filename}” is password-protected: password-protected PDFs "
                                "cannot be read; upload an unprotected copy.")
        page_count = len(reader.pages)
    except UploadRefused:
        raise
    except Exception:  # pypdf raises many kinds of error on damaged files
        raise UploadRefused(broken) from None
    if page_count == 0:
        raise UploadRefused(broken)
    return PdfContent(page_count, _text_of(reader))


def _opens_without_password(reader) -> bool:
    """Many official PDFs are "encrypted" only against printing or copying, with an empty
    password to open them: those can be read like any other."""
    try:
        return bool(reader.decrypt(""))
    except Exception:  # e.g. AES without a cryptography library: unreadable here
        return False


def _text_of(reader) -> str:
    """The text of every page, in order, up to MAX_TEXT_CHARS. A page whose text cannot be
    extracted (a scan, an odd font) adds nothing rather than refusing the file."""
    pages, total = [], 0
    for page in reader.pages:
        try:
            text = page.extract_text() or ""
        except Exception:
            log.warning("could not extract the text of a page of an uploaded PDF")
            continue
        text = _UNSAFE.sub(lambda m: m.group() if m.group() in "\n\t" else " ", text).strip()
        pages.append(text[:MAX_TEXT_CHARS - total])
        total += len(pages[-1])
        if total >= MAX_TEXT_CHARS:
            break
    return "\n\n".join(p for p in pages if p)


def safe_filename(name: str | None) -> str:
    """The name the file had on the uploader's machine, for showing: no folders, no control
    characters, at most 255 characters. Only ever shown or offered, never used as a path."""
    # Browsers send a double quote in a file name as %22 (HTML's multipart encoding).
    name = unicodedata.normalize("NFC", name or "").replace("%22", '"')
    base = re.split(r"[\\/]", name)[-1]
    base = " ".join(_UNSAFE.sub(" ", base).split())
    return base[-255:] or "answer.pdf"


def content_disposition(filename: str) -> str:
    """`attachment` with the file name, ASCII for old clients and UTF-8 for the others."""
    name = filename if filename.lower().endswith(".pdf") else f"{filename}.pdf"
    ascii_name = re.sub(r"[^A-Za-z0-9._() -]", "_", name)
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"


def add_attachment(session: Session, store: AttachmentStore, answer: Answer, stream: BinaryIO,
                   filename: str, *, classification: Classification, is_annex: bool,
                   limit_bytes: int) -> Attachment:
    """Check and keep an uploaded file for the answer, or UploadRefused with nothing kept."""
    received = store.receive(stream, limit_bytes)
    try:
        if received.size_bytes == 0:
            raise UploadRefused(f"“{filename}” is empty. Choose the PDF file of the answer.")
        content = read_pdf(received.path, filename)
        attachment = Attachment(
            answer_id=answer.id, filename=filename, stored_name=secrets.token_hex(16),
            size_bytes=received.size_bytes, sha256=received.sha256,
            page_count=content.page_count, text=content.text, is_annex=is_annex,
            # A file of the answer is never marked lower than the answer.
            classification=max(classification, answer.classification),
        )
        session.add(attachment)
        session.flush()
        store.keep(session, received, attachment.stored_name)
    finally:
        received.path.unlink(missing_ok=True)  # gone already once moved into place
    return attachment


def get_attachment(session: Session, attachment_id: int) -> Attachment:
    """The attachment, if the reader may see it, its answer and its inquiry; else NotFound."""
    attachment = session.exec(
        select(Attachment).join(Answer, Answer.id == Attachment.answer_id)
        .join(Inquiry, Inquiry.id == Answer.inquiry_id)
        .where(Attachment.id == attachment_id)
    ).first()
    if attachment is None:
        raise NotFound("Attachment")
    return attachment


def inquiry_id_of(session: Session, attachment: Attachment) -> int:
    return session.exec(select(Answer.inquiry_id).where(Answer.id == attachment.answer_id)).one()


def delete_attachment(session: Session, store: AttachmentStore, attachment: Attachment) -> None:
    store.remove_after_commit(session, [attachment.stored_name])
    session.delete(attachment)
    session.flush()


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g} MB"
