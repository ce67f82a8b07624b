"""A follow-up inquiry: a draft linked to the original that asks again, quoting each question
whose answer was not satisfactory. Session first; no HTTP."""

from sqlmodel import Session, select

from app.errors import ValidationFailed
from app.models import (
    AnswerItem, Assessment, Inquiry, InquiryItem, InquiryMinistry, InquiryProgramme,
)

UNSATISFACTORY = (Assessment.PARTIAL, Assessment.EVASIVE, Assessment.REFUSED,
                  Assessment.NOT_ANSWERED)
MAX_QUOTED_QUESTION = 1000
MAX_QUOTED_ANSWER = 600

_ASK_AGAIN = {
    Assessment.PARTIAL: "Please answer the question in full.",
    Assessment.EVASIVE: "Please answer the question directly.",
    Assessment.REFUSED: "Please give the grounds for the refusal in detail, or answer the "
                        "question, if need be in a classified annex.",
    Assessment.NOT_ANSWERED: "Please answer the question.",
}


def unsatisfactory_items(inquiry: Inquiry) -> list[tuple[InquiryItem, AnswerItem]]:
    """Questions (with their answers) assessed partial, evasive, refused or not answered, or
    marked for follow-up; only those the reader may see, in question order."""
    if inquiry.answer is None:
        return []
    answers = {a.item_id: a for a in inquiry.answer.items}
    return [
        (question, answers[question.id]) for question in inquiry.items
        if question.id in answers and (answers[question.id].assessment in UNSATISFACTORY
                                       or answers[question.id].follow_up)
    ]


def create_follow_up(session: Session, inquiry: Inquiry) -> Inquiry:
    """A draft with the original's type, ministries, programmes and marking (or its answer's,
    if higher), whose items quote each unsatisfactory question and its answer;
    ValidationFailed if there is none."""
    if inquiry.answer is None:
        raise ValidationFailed({"follow_up": "This inquiry has no answer yet, so there is "
                                              "nothing to follow up."})
    pairs = unsatisfactory_items(inquiry)
    if not pairs:
        raise ValidationFailed({"follow_up": (
            "No question of this inquiry is assessed partial, evasive, refused or not answered, "
            "or marked for follow-up, so there is nothing to ask again. Assess the answer "
            "first, or mark the questions to follow up.")})
    draft = Inquiry(
        inquiry_type_id=inquiry.inquiry_type_id, title=f"Follow-up: {inquiry.title}"[:300],
        asked_by=inquiry.asked_by, faction=inquiry.faction, preamble=_preamble(inquiry),
        follow_up_of_id=inquiry.id,
        # The preamble quotes the answer (its date and reference): as classified as it.
        classification=max(inquiry.classification, inquiry.answer.classification),
    )
    session.add(draft)
    session.flush()
    for addressed in inquiry.ministries:
        session.add(InquiryMinistry(inquiry_id=draft.id, ministry_id=addressed.ministry_id,
                                    lead=addressed.lead))
    # Every link is copied, also to programmes the editor may not see: the follow-up is about
    # the same programmes, and the programme's own clearance still hides the link.
    for programme_id in session.exec(select(InquiryProgramme.programme_id).where(
            InquiryProgramme.inquiry_id == inquiry.id)).all():
        session.add(InquiryProgramme(inquiry_id=draft.id, programme_id=programme_id))
    for number, (question, answer_item) in enumerate(pairs, start=1):
        session.add(InquiryItem(
            inquiry_id=draft.id, number=number, text=_quote(inquiry, question, answer_item),
            # It quotes both: as classified as the more classified of the two.
            classification=max(question.classification, answer_item.classification,
                               draft.classification),
        ))
    session.flush()
    return draft


def _name(inquiry: Inquiry) -> str:
    return inquiry.reference or f"the inquiry «{inquiry.title}»"


def _preamble(inquiry: Inquiry) -> str:
    answer = inquiry.answer
    original = f"{inquiry.reference} («{inquiry.title}»)" if inquiry.reference else _name(inquiry)
    answered = f"answered on {answer.received_on.isoformat()}"
    if answer.reference:
        answered += f" ({answer.reference})"
    return (f"Follow-up to {original}, {answered}. The questions below were not answered "
            "satisfactorily and are asked again.")


def _quote(inquiry: Inquiry, question: InquiryItem, answer: AnswerItem) -> str:
    answer_text = (f"answered «{_shorten(answer.text, MAX_QUOTED_ANSWER)}»" if answer.text
                   else "given no answer text")
    if answer.assessment is None:
        judged = "marked for follow-up"
    else:
        judged = f"assessed {answer.assessment.label.lower()}"
        if answer.refusal_reason is not None:
            judged += f": {answer.refusal_reason.label.lower()}"
        if answer.follow_up and answer.assessment not in UNSATISFACTORY:
            judged += ", marked for follow-up"
    ask = _ASK_AGAIN.get(answer.assessment, "Please answer the question in more detail.")
    return (f"Follow-up to question {question.number} of {_name(inquiry)} "
            f"(«{_shorten(question.text, MAX_QUOTED_QUESTION)}»), {answer_text} ({judged}): "
            f"{ask}")


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"
