"""The demo register: real, sourced, broad enough to show the product, uncertainty kept."""

from collections import Counter

from sqlmodel import select

from app.demo.loader import demo_programmes
from app.models import Programme, Source, SourceConfidence


def test_demo_register_is_broad_enough():
    programmes = demo_programmes()
    assert len(programmes) >= 30
    assert len({p.instrument for p in programmes}) >= 4
    assert len({p.recipient_country for p in programmes}) >= 12
    assert len({p.reference_code for p in programmes}) == len(programmes)


def test_every_demo_programme_cites_a_web_source():
    for programme in demo_programmes():
        assert any(s.url.startswith("http") for s in programme.sources), programme.reference_code


def test_inferred_facts_are_marked_unverified():
    for programme in demo_programmes():
        if "inferred" in programme.legal_basis.lower():
            assert any(s.confidence == SourceConfidence.UNVERIFIED for s in programme.sources) \
                or "unverified" in programme.summary.lower(), programme.reference_code


def test_loaded_demo_shows_unverified_marker(demo_client, db):
    unverified = db.exec(
        select(Programme.id).join(Source).where(Source.confidence == SourceConfidence.UNVERIFIED)
    ).first()
    assert unverified is not None
    page = demo_client.get(f"/programmes/{unverified}").text
    assert "Contains unverified facts" in page
    assert '<span class="badge unverified">Unverified</span>' in page


def test_demo_covers_several_statuses():
    statuses = Counter(p.status.value for p in demo_programmes())
    assert {"active", "suspended", "completed"} <= set(statuses)
