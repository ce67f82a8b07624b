"""Small builders for form submissions and stored programmes."""

import re

from sqlmodel import Session, select

from app.models import (
    FundingLine, Programme, Rating, SafeguardCriterion, SafeguardEvidence, SafeguardRating, Source,
)


def programme_form(**overrides) -> dict[str, str | list[str]]:
    """A valid programme form as a browser would post it; override any field by name."""
    form: dict[str, str | list[str]] = {
        "action": "save",
        "reference_code": "EPF-TEST-2021-1",
        "title": "EPF assistance measure for the Test Defence Forces",
        "instrument": "EPF",
        "recipient_country": "MD",
        "recipient_units": "Engineering Battalion",
        "kinds": ["non_lethal_equipment", "training"],
        "legal_basis": "Council Decision (CFSP) 2021/2136",
        "implementing_bodies": "Ministry of Defence",
        "start_date": "2021-12-02",
        "end_date": "2024-12-02",
        "status": "active",
        "summary": "Medical equipment and **EOD** equipment.\n\n- subject to IHL compliance",
        "funding-0-year": "2021",
        "funding-0-kind": "commitment",
        "funding-0-amount": "7000000",
        "funding-0-currency": "EUR",
        "funding-0-note": "Council Decision (CFSP) 2021/2136",
        "funding-1-year": "2023",
        "funding-1-kind": "disbursement",
        "funding-1-amount": "2500000.50",
        "funding-1-currency": "EUR",
        "funding-1-note": "",
        "source-0-title": "Council Decision (CFSP) 2021/2136",
        "source-0-url": "https://eur-lex.europa.eu/eli/dec/2021/2136/oj",
        "source-0-confidence": "verified",
        "source-0-note": "",
    }
    form.update(overrides)
    return {k: v for k, v in form.items() if v is not None}


def stored_programme(db: Session, reference_code: str) -> Programme | None:
    db.expire_all()
    return db.exec(select(Programme).where(Programme.reference_code == reference_code)).first()


def row_counts(db: Session) -> dict[str, int]:
    """How many programmes, funding lines and sources are stored: to prove nothing was saved."""
    db.expire_all()
    return {
        model.__name__: len(db.exec(select(model)).all())
        for model in (Programme, FundingLine, Source)
    }


def opened_version(client, location: str) -> str:
    """The version an edit form carries when opened now."""
    page = client.get(f"{location}/edit").text
    return re.search(r'name="version" value="(\d+)"', page).group(1)


def edit_form(client, location: str, **overrides) -> dict:
    """The programme form with the version of a freshly opened edit form."""
    return programme_form(version=opened_version(client, location), **overrides)


def cite_as_evidence(db: Session, programme_id: int, *, source_id: int | None = None,
                     answer_item_id: int | None = None) -> SafeguardRating:
    """Rate the programme's first criterion with the source or answer item as its evidence,
    committed."""
    criterion = db.exec(select(SafeguardCriterion).order_by(SafeguardCriterion.position)).first()
    rating = SafeguardRating(programme_id=programme_id, criterion_id=criterion.id,
                             rating=Rating.SOME_CONCERN, rationale="See the cited evidence.")
    db.add(rating)
    db.flush()
    db.add(SafeguardEvidence(rating_id=rating.id, source_id=source_id,
                             answer_item_id=answer_item_id))
    db.commit()
    return rating
