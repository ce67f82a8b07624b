"""The rows and JSON objects of each export: a programme with its funding lines and sources,
an inquiry with its items, ministries, linked programmes and each item's answer and
assessment, an answer with its items."""

from datetime import date

from app.models import Answer, AnswerItem, Classification, Inquiry, Programme
from app.transfer.columns import amount_text

INQUIRY_COLUMNS = (
    "reference", "title", "inquiry_type", "asked_by", "faction", "submitted_on", "ministries",
    "lead_ministry", "programmes", "classification", "item_number", "item_text",
    "item_classification", "answer_text", "assessment", "refusal_reason", "assessment_note",
)
ANSWER_COLUMNS = (
    "inquiry_reference", "inquiry_title", "received_on", "reference", "ministry",
    "has_classified_annex", "classification", "items_answered", "complete", "partial",
    "evasive", "refused", "not_answered", "notes",
)


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


def _marking(level: Classification) -> str:
    return level.name.lower()


def programme_json(programme: Programme) -> dict:
    return {
        "reference_code": programme.reference_code, "title": programme.title,
        "instrument": programme.instrument.code,
        "recipient_country": programme.recipient_country, "status": programme.status.value,
        "start_date": _day(programme.start_date) or None,
        "end_date": _day(programme.end_date) or None,
        "assistance_kinds": sorted(k.kind.value for k in programme.kinds),
        "recipient_units": programme.recipient_units, "legal_basis": programme.legal_basis,
        "implementing_bodies": programme.implementing_bodies, "summary": programme.summary,
        "classification": _marking(programme.classification),
        "funding_lines": [{
            "year": f.year, "kind": f.kind.value, "amount": amount_text(f.amount_cents),
            "currency": f.currency, "note": f.note, "classification": _marking(f.classification),
        } for f in programme.funding_lines],
        "sources": [{
            "title": s.title, "url": s.url, "confidence": s.confidence.value, "note": s.note,
            "classification": _marking(s.classification),
        } for s in programme.sources],
    }


def _answers_by_item(inquiry: Inquiry) -> dict[int, AnswerItem]:
    answer = inquiry.answer
    return {a.item_id: a for a in answer.items} if answer is not None else {}


def _lead(inquiry: Inquiry) -> str:
    return next((m.ministry.code for m in inquiry.ministries if m.lead), "")


def inquiry_rows(inquiry: Inquiry, programme_codes: list[str]) -> list[dict[str, str]]:
    base = {
        "reference": inquiry.reference, "title": inquiry.title,
        "inquiry_type": inquiry.inquiry_type.code, "asked_by": inquiry.asked_by,
        "faction": inquiry.faction, "submitted_on": _day(inquiry.submitted_on),
        "ministries": ";".join(m.ministry.code for m in inquiry.ministries),
        "lead_ministry": _lead(inquiry), "programmes": ";".join(programme_codes),
        "classification": _marking(inquiry.classification),
    }
    answers = _answers_by_item(inquiry)
    rows = []
    for item in inquiry.items:
        answer = answers.get(item.id)
        rows.append({
            **base, "item_number": str(item.number), "item_text": item.text,
            "item_classification": _marking(item.classification),
            "answer_text": answer.text if answer else "",
            "assessment": answer.assessment.value if answer and answer.assessment else "",
            "refusal_reason": answer.refusal_reason.value
            if answer and answer.refusal_reason else "",
            "assessment_note": answer.assessment_note if answer else "",
        })
    return rows or [base]


def inquiry_json(inquiry: Inquiry, programme_codes: list[str]) -> dict:
    answers = _answers_by_item(inquiry)
    answer = inquiry.answer
    return {
        "reference": inquiry.reference, "title": inquiry.title,
        "inquiry_type": inquiry.inquiry_type.code, "asked_by": inquiry.asked_by,
        "faction": inquiry.faction, "preamble": inquiry.preamble,
        "submitted_on": _day(inquiry.submitted_on) or None,
        "withdrawn_on": _day(inquiry.withdrawn_on) or None,
        "ministries": [{"code": m.ministry.code, "lead": m.lead} for m in inquiry.ministries],
        "programmes": programme_codes,
        "classification": _marking(inquiry.classification),
        "items": [{
            "number": item.number, "text": item.text,
            "classification": _marking(item.classification),
            "answer": _answer_item_json(answers[item.id]) if item.id in answers else None,
        } for item in inquiry.items],
        "answer": None if answer is None else {
            "received_on": _day(answer.received_on), "reference": answer.reference,
            "ministry": answer.ministry.code if answer.ministry else None,
            "classification": _marking(answer.classification),
        },
    }


def _answer_item_json(row: AnswerItem) -> dict:
    return {
        "text": row.text, "assessment": row.assessment.value if row.assessment else None,
        "refusal_reason": row.refusal_reason.value if row.refusal_reason else None,
        "assessment_note": row.assessment_note, "follow_up": row.follow_up,
        "classification": _marking(row.classification),
    }


def _assessed(answer: Answer) -> dict[str, int]:
    counts = {name: 0 for name in ("complete", "partial", "evasive", "refused", "not_answered")}
    for row in answer.items:
        if row.assessment is not None:
            counts[row.assessment.value] += 1
    return counts


def answer_rows(inquiry: Inquiry) -> list[dict[str, str]]:
    answer = inquiry.answer
    return [{
        "inquiry_reference": inquiry.reference, "inquiry_title": inquiry.title,
        "received_on": _day(answer.received_on), "reference": answer.reference,
        "ministry": answer.ministry.code if answer.ministry else "",
        "has_classified_annex": "yes" if answer.has_classified_annex else "no",
        "classification": _marking(answer.classification),
        "items_answered": str(len(answer.items)),
        **{name: str(count) for name, count in _assessed(answer).items()},
        "notes": answer.notes,
    }]


def answer_json(inquiry: Inquiry) -> dict:
    answer = inquiry.answer
    numbers = {item.id: item.number for item in inquiry.items}
    return {
        "inquiry_reference": inquiry.reference, "inquiry_title": inquiry.title,
        "received_on": _day(answer.received_on), "reference": answer.reference,
        "ministry": answer.ministry.code if answer.ministry else None,
        "has_classified_annex": answer.has_classified_annex,
        "classification": _marking(answer.classification), "notes": answer.notes,
        "items": [{"item_number": numbers.get(row.item_id), **_answer_item_json(row)}
                  for row in sorted(answer.items, key=lambda r: numbers.get(r.item_id, 0))
                  if row.item_id in numbers],
    }
