"""The safeguards scorecard: each programme's rating of each criterion, the evidence behind it,
and its history. Session first; no HTTP, no templates.

Evidence points to an answer item (of an inquiry about the programme) or to one of the
programme's sources. Every query joins what the evidence points to, so the reader's clearance
applies to the target as well as to the evidence row (app.clearance).
"""

from dataclasses import dataclass
from itertools import groupby

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from app.audit.service import changed_since_message, conflict_if_changed, visible_events
from app.errors import Conflict, NotFound, ValidationFailed
from app.models import (
    Answer, AnswerItem, AuditEvent, Classification, Inquiry, InquiryItem, InquiryProgramme,
    Programme, Rating, SafeguardCriterion, SafeguardEvidence, SafeguardRating, Source, utcnow,
)


@dataclass(frozen=True)
class Target:
    """Something a rating can rest on: an assessed answer item or one of the programme's
    sources. `key` names it in forms ("answer-12", "source-5")."""

    key: str
    text: str
    url: str
    classification: Classification  # the highest marking of what the text shows
    question: str = ""  # the question asked, for an answer item


@dataclass(frozen=True)
class EvidenceLink:
    evidence: SafeguardEvidence
    target: Target


@dataclass(frozen=True)
class ScorecardRow:
    """One criterion of a programme's scorecard as the reader sees it."""

    criterion: SafeguardCriterion
    rating: SafeguardRating | None
    evidence: list[EvidenceLink]

    @property
    def level(self) -> Rating:
        """A criterion nobody has rated has, by definition, no evidence."""
        return self.rating.rating if self.rating else Rating.NO_EVIDENCE


def list_criteria(session: Session) -> list[SafeguardCriterion]:
    return list(session.exec(
        select(SafeguardCriterion).order_by(SafeguardCriterion.position, SafeguardCriterion.id)
    ))


def get_criterion(session: Session, criterion_id: int) -> SafeguardCriterion:
    criterion = session.get(SafeguardCriterion, criterion_id)
    if criterion is None:
        raise NotFound("Criterion")
    return criterion


def scorecard(session: Session, programme: Programme) -> list[ScorecardRow]:
    """Every criterion in order, with the programme's rating and evidence where the reader may
    see them."""
    ratings = {r.criterion_id: r for r in session.exec(
        select(SafeguardRating).where(SafeguardRating.programme_id == programme.id))}
    links = evidence_links(session, [r.id for r in ratings.values()])
    rows = []
    for criterion in list_criteria(session):
        rating = ratings.get(criterion.id)
        rows.append(ScorecardRow(criterion, rating, links.get(rating.id, []) if rating else []))
    return rows


def get_rating(session: Session, programme: Programme,
               criterion: SafeguardCriterion) -> SafeguardRating | None:
    """The programme's rating of the criterion, or None if there is none the reader may see."""
    return session.exec(select(SafeguardRating).where(
        SafeguardRating.programme_id == programme.id,
        SafeguardRating.criterion_id == criterion.id)).first()


def programmes_without_evidence(
        session: Session, *, unrated: bool = True,
) -> list[tuple[Programme, list[SafeguardCriterion]]]:
    """Programmes with criteria that nobody has evidence for, by reference code, each with
    those criteria in order. Programmes with evidence on every criterion are left out.

    A criterion counts when it is rated "no evidence" explicitly, and also, with `unrated`, when
    it has never been rated: an unrated safeguard is one the committee has no evidence for
    either, and leaving it out would make a programme nobody has looked at seem the best
    covered. The dashboard leaves unrated criteria out (unrated=False): every programme whose
    scorecard has not been started would crowd it. A rating above the reader's clearance counts
    as no rating, as it does on the programme page (the clearance filter applies to the outer
    join's ON clause).
    """
    lacking = SafeguardRating.rating == Rating.NO_EVIDENCE
    if unrated:
        lacking = sa.or_(lacking, SafeguardRating.id.is_(None))
    rows = session.exec(
        select(Programme, SafeguardCriterion)
        .join(SafeguardCriterion, sa.true())
        .outerjoin(SafeguardRating, sa.and_(SafeguardRating.programme_id == Programme.id,
                                            SafeguardRating.criterion_id == SafeguardCriterion.id))
        .where(lacking)
        .order_by(Programme.reference_code, Programme.id, SafeguardCriterion.position,
                  SafeguardCriterion.id)
    ).all()
    return [(programme, [criterion for _, criterion in group])
            for programme, group in groupby(rows, key=lambda row: row[0])]


# --- evidence -------------------------------------------------------------------------------

def _answer_items(*extra):
    """SELECT of answer items with their question and inquiry (and `extra` columns), each
    joined so that every one of them must be within the reader's clearance."""
    return (select(AnswerItem, InquiryItem, Inquiry, *extra).select_from(AnswerItem)
            .join(Answer, Answer.id == AnswerItem.answer_id)
            .join(InquiryItem, InquiryItem.id == AnswerItem.item_id)
            .join(Inquiry, Inquiry.id == InquiryItem.inquiry_id))


def _answer_target(answer_item: AnswerItem, item: InquiryItem, inquiry: Inquiry) -> Target:
    assessed = (f"assessed {answer_item.assessment.label.lower()}" if answer_item.assessment
                else "not assessed yet")
    return Target(
        key=f"answer-{answer_item.id}",
        text=f"{inquiry.reference or inquiry.title}, question {item.number} ({assessed})",
        url=f"/inquiries/{inquiry.id}#item-{item.number}",
        classification=max(answer_item.classification, item.classification,
                           inquiry.classification),
        question=item.text,
    )


def _source_target(source: Source) -> Target:
    return Target(key=f"source-{source.id}", text=source.title, url=source.url,
                  classification=source.classification)


def evidence_links(session: Session, rating_ids: list[int]) -> dict[int, list[EvidenceLink]]:
    """The evidence of each rating that the reader may see, with what it points to."""
    if not rating_ids:
        return {}
    rows: list[tuple[SafeguardEvidence, Target]] = [
        (evidence, _answer_target(answer_item, item, inquiry))
        for answer_item, item, inquiry, evidence in session.exec(
            _answer_items(SafeguardEvidence)
            .join(SafeguardEvidence, SafeguardEvidence.answer_item_id == AnswerItem.id)
            .where(SafeguardEvidence.rating_id.in_(rating_ids)))
    ] + [
        (evidence, _source_target(source))
        for evidence, source in session.exec(
            select(SafeguardEvidence, Source)
            .join(Source, Source.id == SafeguardEvidence.source_id)
            .where(SafeguardEvidence.rating_id.in_(rating_ids)))
    ]
    links: dict[int, list[EvidenceLink]] = {}
    for evidence, target in sorted(rows, key=lambda row: row[0].id):
        links.setdefault(evidence.rating_id, []).append(EvidenceLink(evidence, target))
    return links


def evidence_targets(session: Session, programme: Programme) -> list[Target]:
    """What an editor may link as evidence: answer items of inquiries about the programme, then
    the programme's sources, as far as they may see them."""
    answers = session.exec(
        _answer_items()
        .join(InquiryProgramme, InquiryProgramme.inquiry_id == Inquiry.id)
        .where(InquiryProgramme.programme_id == programme.id)
        .order_by(Inquiry.reference, Inquiry.id, InquiryItem.number)
    ).all()
    sources = session.exec(
        select(Source).where(Source.programme_id == programme.id)
        .order_by(Source.position, Source.id))
    return [_answer_target(*row) for row in answers] + [_source_target(s) for s in sources]


# --- saving ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class RatingChange:
    """A checked rating form: the rating, why, its marking and the evidence chosen."""

    rating: Rating
    rationale: str
    classification: Classification
    evidence: dict[str, str]  # target key -> note


ALREADY_RATED = ("This criterion was rated by someone else since you opened the form, possibly "
                 "at a classification above your clearance. Your rating has not been saved; it "
                 "is still in the form below. If the current rating does not show, ask a "
                 "colleague with higher clearance.")


def save_rating(session: Session, programme: Programme, criterion: SafeguardCriterion,
                rating: SafeguardRating | None, change: RatingChange,
                offered: dict[str, Target], opened_version: int | None) -> SafeguardRating:
    """Create or change the rating, and link the chosen evidence.

    `offered` are the targets the form showed. Evidence the editor was not shown (above their
    clearance, or pointing to something above it) is neither removed nor changed.
    """
    if change.classification < programme.classification:
        raise ValidationFailed({"classification": (
            f"A rating of a {programme.classification.label.lower()} programme cannot be "
            f"marked lower than {programme.classification.label.lower()}.")})
    unknown = [key for key in change.evidence if key not in offered]
    if unknown:
        raise ValidationFailed({"evidence": "Choose evidence from the list."})
    if rating is None:
        if opened_version is not None:  # opened on a rating this editor no longer sees
            raise Conflict(ALREADY_RATED)
        rating = SafeguardRating(programme_id=programme.id, criterion_id=criterion.id,
                                 rating=change.rating)
        session.add(rating)
    elif opened_version != rating.version:
        raise Conflict(changed_since_message(session, "safeguard_rating", rating.id))
    rating.rating, rating.rationale = change.rating, change.rationale
    rating.classification = change.classification
    rating.updated_at = utcnow()  # also raises the version when only the evidence changed
    try:
        with conflict_if_changed(session, "safeguard_rating", rating.id):
            session.flush()
            _link_evidence(session, rating, change, offered)
            session.flush()
    except IntegrityError:
        # Another rating of this criterion exists: saved a moment ago by someone else, or held
        # at a classification above this editor's clearance.
        session.rollback()
        raise Conflict(ALREADY_RATED) from None
    return rating


def _link_evidence(session: Session, rating: SafeguardRating, change: RatingChange,
                   offered: dict[str, Target]) -> None:
    existing = {_key(e): e for e in session.exec(
        select(SafeguardEvidence).where(SafeguardEvidence.rating_id == rating.id))}
    for key, evidence in existing.items():
        # Links the form did not show stay, but never below the rating.
        if key not in offered and evidence.classification < rating.classification:
            evidence.classification = rating.classification
    for key, target in offered.items():
        evidence = existing.get(key)
        if key not in change.evidence:
            if evidence is not None:
                session.delete(evidence)
            continue
        if evidence is None:
            kind, _, target_id = key.partition("-")
            evidence = SafeguardEvidence(rating_id=rating.id, **{
                "answer_item_id" if kind == "answer" else "source_id": int(target_id)})
            session.add(evidence)
        # A link is never marked lower than the rating nor than what it shows of its target.
        level = max(rating.classification, target.classification)
        if evidence.classification != level:
            evidence.classification = level
        if evidence.note != change.evidence[key]:
            evidence.note = change.evidence[key]


def _key(evidence: SafeguardEvidence) -> str:
    if evidence.answer_item_id is not None:
        return f"answer-{evidence.answer_item_id}"
    return f"source-{evidence.source_id}"


# --- history --------------------------------------------------------------------------------

def rating_history(session: Session, rating: SafeguardRating | None,
                   limit: int = 100) -> list[AuditEvent]:
    """Events on the rating and on its evidence, newest first, as far as the reader may see.
    Evidence rows may be gone: they are found by the rating named when they were created (a
    piece of evidence never moves to another rating)."""
    if rating is None:
        return []
    its_evidence = select(AuditEvent.record_id).where(
        AuditEvent.record_type == "safeguard_evidence", AuditEvent.action == "create",
        AuditEvent.changes["rating_id"]["after"].as_integer() == rating.id)
    return list(session.exec(
        visible_events(session)
        .where(sa.or_(
            sa.and_(AuditEvent.record_type == "safeguard_rating",
                    AuditEvent.record_id == rating.id),
            sa.and_(AuditEvent.record_type == "safeguard_evidence",
                    AuditEvent.record_id.in_(its_evidence)),
        ))
        .order_by(AuditEvent.id.desc())
        .limit(limit)
    ))


def delete_programme_ratings(session: Session, programme_id: int) -> None:
    """Delete a programme's ratings and their evidence, each with its own audit event (the
    database would otherwise remove them silently with the programme). Evidence goes first,
    while its rating still names the programme its events belong to."""
    ratings = list(session.exec(
        select(SafeguardRating).where(SafeguardRating.programme_id == programme_id)))
    for evidence in session.exec(select(SafeguardEvidence).where(
            SafeguardEvidence.rating_id.in_([r.id for r in ratings]))):
        session.delete(evidence)
    session.flush()
    for rating in ratings:
        session.delete(rating)
