"""Files of an answer: an upload checked by its content (a readable, unprotected PDF within the
size limit), kept under a random name in DATA_DIR/attachments (never under app/static), its text
extracted for search; removed with its record, and never left behind by a failed save."""

import hashlib
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from sqlalchemy.orm import Session
from sqlmodel import select

from app.errors import NotFound, ValidationFailed
from app.files import FileStore
from app.models import Answer, Attachment, Classification, Inquiry

log = logging.getLogger("oversight")

CHUNK_BYTES = 1024 * 1024
# Enough for the text of a thousand dense pages; search needs no more.
MAX_TEXT_CHARS = 2_000_000
_UNSAFE = re.compile(r"[\x00-\x1f\x7f]")


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


class AttachmentStore(FileStore):
    """DATA_DIR/attachments: each answer file under a random name, kept and removed with its
    record (app.files)."""

    def __init__(self, data_dir: Path):
        super().__init__(data_dir, "attachments", what="Attachment file")

    def receive(self, stream: BinaryIO, limit_bytes: int) -> ReceivedFile:
        """Copy an upload to a file aside, counting; stop reading once past the limit."""
        digest, size = hashlib.sha256(), 0

        def counted() -> Iterator[bytes]:
            nonlocal size
            while chunk := stream.read(CHUNK_BYTES):
                size += len(chunk)
                if size > limit_bytes:
                    raise UploadRefused(
                        f"The file is larger than the limit of {_megabytes(limit_bytes)}. "
                        "Upload a smaller copy (for example with the scans compressed), or "
                        "split it into parts.")
                digest.update(chunk)
                yield chunk

        path = self.write_aside(counted())
        return ReceivedFile(path, size, digest.hexdigest())


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
            answer_id=answer.id, filename=filename, stored_name=store.new_name(),
            size_bytes=received.size_bytes, sha256=received.sha256,
            page_count=content.page_count, text=content.text, is_annex=is_annex,
            # A file of the answer is never marked lower than the answer.
            classification=max(classification, answer.classification),
        )
        session.add(attachment)
        session.flush()
        store.keep(session, received.path, attachment.stored_name)
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
