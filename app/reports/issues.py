"""Issues for the committee: what a brief tells MPs to raise, derived from the record alone,
each with the reason it was raised, what to ask and where the facts come from. Pure."""

from app.inquiries.status import InquiryStatus
from app.models import Assessment, Rating, RefusalReason
from app.reports.content import Brief, CommitteeIssue, ItemLine, QuestionLine

# What to ask when the government refused an answer, by the reason it gave.
_AFTER_REFUSAL = {
    RefusalReason.CLASSIFIED: "Ask for the answer to be given in a classified setting (e.g. "
                              "deposited with the secret documents office).",
    RefusalReason.THIRD_PARTY_RIGHTS: "Ask which third party's rights are affected and whether "
                                      "its consent was sought.",
    RefusalReason.NOT_RESPONSIBLE: "Ask which body is responsible, and how the government "
                                   "oversees it.",
}


def committee_issues(brief: Brief) -> list[CommitteeIssue]:
    """In the order an MP would take them: what is suspended, overdue, evaded or refused, then
    the safeguards with serious concerns or no evidence."""
    issues: list[CommitteeIssue] = []
    if brief.suspended:
        issues.append(CommitteeIssue(
            "suspension", "The programme is suspended",
            f"Its status in the register is \u201c{brief.status}\u201d.",
            "Ask what must happen before it resumes, and what becomes of equipment already "
            "delivered and units already trained.",
            tuple(r for r in (brief.legal_basis,) if r),
        ))
    for question in brief.questions:
        if question.status == InquiryStatus.OVERDUE:
            issues.append(_overdue(question))
    for question in brief.questions:
        for item in question.items:
            if item.assessment in (Assessment.EVASIVE, Assessment.REFUSED):
                issues.append(_unsatisfactory(question, item))
    for line in brief.safeguards:
        if line.rating == Rating.SERIOUS_CONCERN:
            issues.append(CommitteeIssue(
                "suspension" if line.about_suspension else "serious_concern",
                f"{line.code} {line.title}: serious concern",
                "Rated serious concern" + (f": {line.rationale}" if line.rationale else "."),
                line.check_questions or "Ask how the government answers this concern.",
                line.evidence,
            ))
    for line in brief.safeguards:
        if line.rated and line.rating == Rating.NO_EVIDENCE:
            issues.append(CommitteeIssue(
                "no_evidence", f"{line.code} {line.title}: no evidence",
                "Rated \u201cno evidence\u201d" + (f": {line.rationale}" if line.rationale
                                                   else "."),
                line.check_questions or "Ask the government for evidence.",
                line.evidence,
            ))
    unrated = [line for line in brief.safeguards if not line.rated]
    if unrated:
        # One issue, not one per criterion: a programme nobody has assessed would otherwise
        # bury everything else under fourteen identical entries.
        issues.append(CommitteeIssue(
            "no_evidence", f"No evidence on {len(unrated)} safeguard"
                           f"{'s' if len(unrated) != 1 else ''}",
            "The committee has not rated these safeguards, so it holds no evidence on them: "
            + "; ".join(f"{line.code} {line.title}" for line in unrated) + ".",
            "Put the criteria's check questions to the government, first: "
            + " ".join(f"{line.code}: {line.check_questions}" for line in unrated[:3]
                       if line.check_questions),
            (),
        ))
    return issues


def _overdue(question: QuestionLine) -> CommitteeIssue:
    days = question.days_overdue
    return CommitteeIssue(
        "overdue", f"Answer to {question.reference} is overdue",
        f"It was due on {question.due_date.isoformat()}; no answer is recorded "
        f"{days} day{'s' if days != 1 else ''} later.",
        "Ask when the government will answer, and why the deadline was missed.",
        (question.reference,),
    )


def _unsatisfactory(question: QuestionLine, item: ItemLine) -> CommitteeIssue:
    evasive = item.assessment == Assessment.EVASIVE
    reason = ("The answer was assessed as evasive" if evasive
              else f"The government refused to answer ({item.refusal_reason or 'no reason given'})")
    if item.note:
        reason += f": {item.note}"
    else:
        reason += "."
    ask = ("Ask again, precisely: " + _shorten(item.question) if evasive
           else _AFTER_REFUSAL.get(item.refusal, "Ask on what grounds the answer was "
                                                        "refused, and how else the committee "
                                                        "can be informed."))
    return CommitteeIssue(
        "evasive" if evasive else "refused",
        f"{question.reference}, question {item.number}: "
        f"{'evasive answer' if evasive else 'answer refused'}",
        reason, ask,
        tuple(r for r in (question.reference, question.answer_cited) if r),
    )


def _shorten(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "\u2026"
