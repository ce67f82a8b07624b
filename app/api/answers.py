"""API: an inquiry's answer, item by item with its assessment; recorded under the answer
form's rules (AnswerInput, AnswerItemInput) and its optimistic locking."""

from fastapi import APIRouter

from app import clock
from app.access import RecordId
from app.api.auth import ApiEditorDep, ApiViewerDep
from app.api.common import check_all, checked, require_version
from app.api.schemas import AnswerItemWrite, AnswerRead, AnswerWrite, errors
from app.db import SessionDep
from app.errors import ValidationFailed
from app.inquiries import answers
from app.inquiries.answer_form import AnswerInput, AnswerItemInput
from app.inquiries.service import get_inquiry
from app.models import Inquiry

router = APIRouter(tags=["answers"])


def answer_read(inquiry: Inquiry) -> AnswerRead:
    answer = answers.require_answer(inquiry)
    numbers = {item.id: item.number for item in inquiry.items}
    return AnswerRead.model_validate({
        **{name: getattr(answer, name) for name in (
            "id", "inquiry_id", "received_on", "reference", "has_classified_annex", "notes",
            "classification", "version")},
        "ministry": answer.ministry.code if answer.ministry else None,
        "items": sorted((
            {"item_id": row.item_id, "number": numbers[row.item_id],
             **{name: getattr(row, name) for name in (
                 "text", "assessment", "refusal_reason", "assessment_note", "follow_up",
                 "classification")}}
            # An answer is never less classified than its question, so a reader who sees the
            # answer to an item sees the item; the check keeps a stray row from failing.
            for row in answer.items if row.item_id in numbers), key=lambda a: a["number"]),
    })


@router.get("/inquiries/{inquiry_id}/answer", response_model=AnswerRead,
            name="api_answer_detail", responses=errors(401, 404))
def answer_detail(inquiry_id: RecordId, session: SessionDep, viewer: ApiViewerDep):
    return answer_read(get_inquiry(session, inquiry_id))


@router.put("/inquiries/{inquiry_id}/answer", response_model=AnswerRead,
            name="api_answer_save", responses=errors(400, 401, 403, 404, 409, 422))
def answer_save(inquiry_id: RecordId, body: AnswerWrite, session: SessionDep,
                editor: ApiEditorDep):
    inquiry = get_inquiry(session, inquiry_id)
    if inquiry.answer is not None:
        require_version("answer", inquiry.answer.version, body.version)
    clearance, today = editor.user.clearance, clock.today()
    ministry_ids = {m.code: m.id for m in answers.ministries(session)}
    if body.ministry is not None and body.ministry not in ministry_ids:
        raise ValidationFailed({"ministry": "Unknown ministry; choose a code from "
                                            "/api/v1/ministries."})
    raw = body.model_dump(mode="json", exclude={"items", "ministry", "version"})
    raw["classification"] = raw["classification"] or inquiry.classification
    raw["ministry_id"] = ministry_ids.get(body.ministry)
    question_ids = {item.number: item.id for item in inquiry.items}
    data, *typed = check_all([
        lambda: checked(AnswerInput, raw, clearance, submitted_on=inquiry.submitted_on,
                        today=today, floor=inquiry.classification,
                        ministry_ids=set(ministry_ids.values())),
        *(lambda i=i, item=item: _item(item, i, question_ids, clearance)
          for i, item in enumerate(body.items)),
    ])
    by_question = dict(typed)
    if len(by_question) < len(typed):
        raise ValidationFailed({"items": "A question is answered twice; give each once."})
    answers.save_answer(session, inquiry, data.model_copy(update={"items": by_question}),
                        body.version, today)
    return answer_read(get_inquiry(session, inquiry_id, fresh=True))


def _item(item: AnswerItemWrite, index: int, question_ids: dict[int, int], clearance
          ) -> tuple[int, AnswerItemInput]:
    prefix = f"items.{index}"
    if item.number not in question_ids:
        # Also for a question above the caller's clearance: for them it does not exist.
        raise ValidationFailed({f"{prefix}.number": f"The inquiry has no question "
                                                    f"{item.number}."})
    raw = item.model_dump(mode="json", exclude={"number"})
    return question_ids[item.number], checked(AnswerItemInput, raw, clearance, prefix=prefix)
