"""Exports of programmes, inquiries and answers as CSV or JSON, as far as the reader may see:
every query is filtered by their clearance, so rows above it are simply absent. Streamed in
batches (never the whole register in memory); the highest marking included is known before the
first byte, for the file name and the JSON's first field."""

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import selectinload
from sqlmodel import Session, select

from app.inquiries.service import linked_programmes
from app.models import (
    Answer, AnswerItem, Classification, FundingLine, Inquiry, InquiryItem, InquiryMinistry,
    Programme, Source,
)
from app.transfer import export_rows
from app.transfer.columns import COLUMNS, csv_text, programme_rows

BATCH = 200
DATASETS = ("programmes", "inquiries", "answers")
FORMATS = ("csv", "json")
MEDIA_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json"}


@dataclass(frozen=True)
class Export:
    dataset: str
    file_format: str
    marking: Classification
    chunks: Iterator[str]

    @property
    def filename(self) -> str:
        return f"{self.dataset}-{self.marking.name.lower()}.{self.file_format}"

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[self.file_format]


def export(session: Session, dataset: str, file_format: str) -> Export:
    """The export of `dataset` in `file_format` ("csv", "json") for the session's reader."""
    if dataset not in DATASETS or file_format not in FORMATS:
        raise ValueError(f"no export {dataset}.{file_format}")
    marking = highest_marking_in(session, dataset, file_format)
    records, header, to_rows, to_json = {
        "programmes": (_programmes, COLUMNS, programme_rows, export_rows.programme_json),
        "inquiries": (_inquiries, export_rows.INQUIRY_COLUMNS, export_rows.inquiry_rows,
                      export_rows.inquiry_json),
        "answers": (_answered, export_rows.ANSWER_COLUMNS, export_rows.answer_rows,
                    export_rows.answer_json),
    }[dataset]
    if file_format == "csv":
        chunks = _csv(records(session), header, to_rows)
    else:
        chunks = _json(records(session), dataset, marking, to_json)
    return Export(dataset, file_format, marking, chunks)


def highest_marking_in(session: Session, dataset: str, file_format: str) -> Classification:
    """The highest marking among the rows the export will hold (filtered by clearance)."""
    models = {
        "programmes": [Programme, FundingLine] + ([Source] if file_format == "json" else []),
        "inquiries": [Inquiry, InquiryItem, Answer, AnswerItem],
        "answers": [Answer, AnswerItem],
    }[dataset]
    levels = [session.exec(select(sa.func.max(model.classification))).one()
              for model in models]
    return Classification(max((int(level) for level in levels if level is not None),
                              default=0))


def _csv(records: Iterator, header, to_rows: Callable) -> Iterator[str]:
    yield ",".join(header) + "\r\n"
    for record in records:
        yield csv_text(to_rows(*record) if isinstance(record, tuple) else to_rows(record),
                       fieldnames=header)


def _json(records: Iterator, dataset: str, marking: Classification,
          to_json: Callable) -> Iterator[str]:
    yield f'{{"marking": "{marking.name.lower()}", "dataset": "{dataset}", "{dataset}": ['
    for index, record in enumerate(records):
        value = to_json(*record) if isinstance(record, tuple) else to_json(record)
        yield ("," if index else "") + "\n" + json.dumps(value, ensure_ascii=False)
    yield "\n]}\n"


def _batches(session: Session, query, key) -> Iterator[list]:
    """Rows of `query` in batches ordered by `key` (unique), each batch one query; the session
    forgets each batch once it is written."""
    last = None
    while True:
        page = query if last is None else query.where(key > last)
        rows = session.exec(page.order_by(key).limit(BATCH)).all()
        if not rows:
            return
        yield rows
        last = getattr(rows[-1], key.key)
        session.expunge_all()


def _programmes(session: Session) -> Iterator[Programme]:
    query = select(Programme).options(
        selectinload(Programme.instrument), selectinload(Programme.kinds),
        selectinload(Programme.funding_lines), selectinload(Programme.sources))
    for rows in _batches(session, query, Programme.reference_code):
        yield from rows


def _inquiry_query():
    answer = selectinload(Inquiry.answer)
    return select(Inquiry).options(
        selectinload(Inquiry.inquiry_type), selectinload(Inquiry.items),
        selectinload(Inquiry.ministries).selectinload(InquiryMinistry.ministry),
        answer.selectinload(Answer.items), answer.selectinload(Answer.ministry))


def _inquiries(session: Session) -> Iterator[tuple[Inquiry, list[str]]]:
    for rows in _batches(session, _inquiry_query(), Inquiry.id):
        links = linked_programmes(session, [inquiry.id for inquiry in rows])
        for inquiry in rows:
            yield inquiry, [p.reference_code for p in links[inquiry.id]]


def _answered(session: Session) -> Iterator[Inquiry]:
    query = _inquiry_query().where(Inquiry.id.in_(select(Answer.inquiry_id)))
    for rows in _batches(session, query, Inquiry.id):
        yield from (inquiry for inquiry in rows if inquiry.answer is not None)
