"""The safeguards scorecard over HTTP: rating a criterion with evidence, the refusals, conflicts,
history, and the list of programmes without evidence."""

import re
from dataclasses import dataclass

import pytest
from sqlmodel import select

from app.clearance import set_reader_clearance
from app.models import (
    Assessment, AuditEvent, Classification, Rating, SafeguardEvidence, SafeguardRating, Source,
)
from app.safeguards.service import programmes_without_evidence
from tests.forms import as_form_data, form_fields, with_values
from tests.safeguards.builders import (
    answer_item_id, answered_inquiry, criterion_id, programme,
)


@dataclass
class Scene:
    programme: int
    inquiry: int
    evasive: int     # the answer item assessed evasive (question 3)
    source: int
    c4: int

    @property
    def url(self) -> str:
        return f"/programmes/{self.programme}/safeguards/{self.c4}"


@pytest.fixture
def scene(server, db) -> Scene:
    """A public programme with one source, and an answered inquiry about it."""
    programme_id = programme(db, "EPF-SCORE-1", sources=[
        {"title": "Council Decision (CFSP) 2021/2136", "url": "https://eur-lex.europa.eu/x"}])
    inquiry = answered_inquiry(db, programme_id, "Drucksache 20/4473", [
        Assessment.COMPLETE, Assessment.PARTIAL, Assessment.EVASIVE, None])
    source_id = db.exec(select(Source.id).where(Source.programme_id == programme_id)).one()
    found = Scene(programme_id, inquiry.id, answer_item_id(db, inquiry, 3), source_id,
                  criterion_id(db, "C4"))
    db.commit()
    return found


def rate(http, scene: Scene, **values):
    """Open the rating form as a browser does, change it, and send it."""
    fields = form_fields(http.get(scene.url).text, scene.url)
    return http.post(scene.url, data=as_form_data(with_values(fields, **values)))


def stored_rating(db) -> SafeguardRating | None:
    db.expire_all()
    return db.exec(select(SafeguardRating)).first()


def stored_evidence(db) -> list[SafeguardEvidence]:
    db.expire_all()
    return list(db.exec(select(SafeguardEvidence).order_by(SafeguardEvidence.id)))


def test_every_criterion_is_listed_in_order_and_unrated_ones_say_so(client, scene):
    page = client.get(f"/programmes/{scene.programme}").text
    assert "Safeguards scorecard" in page
    codes = re.findall(r'<tr id="safeguard-(C\d+)">', page)
    assert codes == [f"C{n}" for n in range(1, 15)]
    assert "Human-rights vetting of recipient units" in page
    assert page.count("No evidence</span> <span class=\"muted small\">not yet rated</span>") == 14
    assert page.count(f'href="/programmes/{scene.programme}/safeguards/') == 14


class TestRating:
    def test_the_form_offers_answer_items_and_sources_as_evidence(self, client, scene):
        page = client.get(scene.url).text
        assert "C4 End-use monitoring and anti-diversion" in page
        assert "Are end-user certificates" in page  # the check questions
        assert "Drucksache 20/4473, question 3 (assessed evasive)" in page
        assert "Drucksache 20/4473, question 4 (not assessed yet)" in page
        assert "Council Decision (CFSP) 2021/2136" in page
        for value in ("no_concern", "some_concern", "serious_concern", "no_evidence"):
            assert f'name="rating" value="{value}"' in page

    def test_a_rating_with_evidence_is_stored_and_shown_on_the_programme_page(self, client,
                                                                             scene, db):
        response = rate(client, scene, rating="serious_concern",
                        rationale="No monitoring *at all*.",
                        evidence=[f"answer-{scene.evasive}", f"source-{scene.source}"],
                        **{f"note-answer-{scene.evasive}": "Evaded the question on audits"})
        assert response.status_code == 303, response.text
        assert response.headers["location"] == f"/programmes/{scene.programme}#safeguard-C4"
        rating = stored_rating(db)
        assert (rating.rating, rating.rationale, rating.criterion_id) == (
            Rating.SERIOUS_CONCERN, "No monitoring *at all*.", scene.c4)
        evidence = stored_evidence(db)
        assert [(e.answer_item_id, e.source_id, e.note) for e in evidence] == [
            (scene.evasive, None, "Evaded the question on audits"),
            (None, scene.source, "")]

        page = client.get(f"/programmes/{scene.programme}").text
        row = re.search(r'<tr id="safeguard-C4">.*?</tr>', page, re.S).group(0)
        assert "Serious concern" in row and "<em>at all</em>" in row
        assert (f'<a href="/inquiries/{scene.inquiry}#item-3">Drucksache 20/4473, question 3 '
                f'(assessed evasive)</a>') in row
        assert 'href="https://eur-lex.europa.eu/x"' in row and "Evaded the question" in row
        assert page.count("not yet rated") == 13

    def test_changing_the_rating_and_dropping_evidence_shows_in_both_histories(self, client,
                                                                              scene, db):
        evidence = [f"answer-{scene.evasive}", f"source-{scene.source}"]
        assert rate(client, scene, rating="serious_concern", evidence=evidence).status_code == 303
        response = rate(client, scene, rating="some_concern", rationale="Monitoring agreed.",
                        evidence=[f"answer-{scene.evasive}"],
                        **{f"note-answer-{scene.evasive}": "Evaded again"})
        assert response.status_code == 303
        assert stored_rating(db).rating == Rating.SOME_CONCERN
        assert [e.source_id for e in stored_evidence(db)] == [None]

        history = client.get(f"/programmes/{scene.programme}").text.split('id="history-heading"')[1]
        assert "safeguard rating" in history and "<em>C4: Some concern</em>" in history
        assert "<del>Serious concern</del> → <ins>Some concern</ins>" in history
        assert f"<em>C4 evidence: source {scene.source}</em>" in history

        own = client.get(scene.url).text.split('id="history-heading"')[1]
        assert "<strong>Changed</strong> rating" in own
        assert "<strong>Deleted</strong> evidence" in own
        assert "<strong>Changed</strong> evidence" in own and "<ins>Evaded again</ins>" in own
        assert own.count("<strong>Created</strong>") == 3  # the rating and two pieces of evidence
        assert "criterion id" not in own  # the label names the criterion

    def test_a_rating_is_required_and_nothing_is_half_saved(self, client, scene, db):
        response = rate(client, scene, rating="", rationale="Typed <b>bold</b>",
                        evidence=[f"source-{scene.source}"])
        assert response.status_code == 422
        assert "Choose a rating." in response.text and "must not contain HTML" in response.text
        assert "Typed &lt;b&gt;bold&lt;/b&gt;" in response.text
        assert re.search(rf'value="source-{scene.source}" id="evidence-source-{scene.source}" '
                         r'checked', response.text)  # the ticked box stays ticked
        assert stored_rating(db) is None and stored_evidence(db) == []

    def test_evidence_not_offered_is_refused(self, client, scene, db):
        response = client.post(scene.url, data={"rating": "no_concern", "classification": "public",
                                                "evidence": "source-999999"})
        assert response.status_code == 422 and "Choose evidence from the list." in response.text
        assert stored_rating(db) is None


class TestMarkings:
    def test_a_rating_cannot_be_marked_below_its_programme(self, client, db):
        programme_id = programme(db, "RES-SCORE", Classification.RESTRICTED)
        c1 = criterion_id(db, "C1")
        db.commit()
        url = f"/programmes/{programme_id}/safeguards/{c1}"
        assert 'value="public"' not in client.get(url).text  # not offered
        response = client.post(url, data={"rating": "no_concern", "classification": "public"})
        assert response.status_code == 422
        assert "cannot be marked lower than restricted" in response.text
        assert stored_rating(db) is None

    def test_nobody_marks_a_rating_above_their_own_clearance(self, client_for, server, scene, db):
        http = client_for(server, "staff_public")
        assert 'value="restricted"' not in http.get(scene.url).text
        response = http.post(scene.url, data={"rating": "no_concern",
                                              "classification": "restricted"})
        assert response.status_code == 422 and "above your own clearance" in response.text
        assert stored_rating(db) is None

    def test_evidence_is_marked_as_high_as_the_rating_or_what_it_points_to(self, client, scene,
                                                                          db):
        restricted = answered_inquiry(db, scene.programme, "Drucksache 20/9999",
                                      [Assessment.REFUSED], Classification.RESTRICTED)
        restricted_item = answer_item_id(db, restricted, 1)
        db.commit()
        response = rate(client, scene, rating="some_concern", classification="public",
                        evidence=[f"answer-{scene.evasive}", f"answer-{restricted_item}"])
        assert response.status_code == 303
        levels = {e.answer_item_id: e.classification for e in stored_evidence(db)}
        assert levels == {scene.evasive: Classification.PUBLIC,
                          restricted_item: Classification.RESTRICTED}
        assert rate(client, scene, classification="confidential").status_code == 303
        assert {e.classification for e in stored_evidence(db)} == {Classification.CONFIDENTIAL}

    def test_evidence_a_public_editor_cannot_see_survives_their_save(self, client, client_for,
                                                                    server, scene, db):
        secret = Source(programme_id=scene.programme, title="Restricted field report",
                        confidence="verified", classification=Classification.RESTRICTED,
                        position=1)
        db.add(secret)
        db.commit()
        assert rate(client, scene, rating="some_concern",
                    evidence=[f"source-{scene.source}", f"source-{secret.id}"]).status_code == 303
        http = client_for(server, "staff_public")
        assert "Restricted field report" not in http.get(scene.url).text
        response = rate(http, scene, rating="serious_concern", rationale="Public reasons.")
        assert response.status_code == 303, response.text
        assert stored_rating(db).rating == Rating.SERIOUS_CONCERN
        assert sorted(e.source_id for e in stored_evidence(db)) == sorted(
            [scene.source, secret.id])


class TestConflicts:
    def test_a_second_save_over_a_newer_rating_is_refused_keeping_what_was_typed(
            self, client, client_for, server, scene, db):
        assert rate(client, scene, rating="no_concern").status_code == 303
        other = client_for(server, "admin")
        mine = form_fields(client.get(scene.url).text, scene.url)
        theirs = form_fields(other.get(scene.url).text, scene.url)
        assert client.post(scene.url, data=as_form_data(with_values(
            mine, rating="some_concern", rationale="Clerk's view"))).status_code == 303
        refused = other.post(scene.url, data=as_form_data(with_values(
            theirs, rating="serious_concern", rationale="Administrator's view")))
        assert refused.status_code == 409
        assert "Not saved: someone else changed this rating" in refused.text
        assert re.search(r"changed by staff at \d{4}-\d\d-\d\d \d\d:\d\d UTC", refused.text)
        assert "Administrator&#39;s view" in refused.text
        assert 'value="serious_concern" checked' in refused.text
        assert stored_rating(db).rationale == "Clerk's view"
        # The refused form carries the current version: saving again overwrites knowingly.
        again = form_fields(refused.text, scene.url)
        assert other.post(scene.url, data=as_form_data(again)).status_code == 303
        assert stored_rating(db).rationale == "Administrator's view"

    def test_two_first_ratings_of_the_same_criterion_do_not_both_win(self, client, client_for,
                                                                     server, scene, db):
        other = client_for(server, "admin")
        mine = form_fields(client.get(scene.url).text, scene.url)
        theirs = form_fields(other.get(scene.url).text, scene.url)
        assert client.post(scene.url, data=as_form_data(with_values(
            mine, rating="no_concern"))).status_code == 303
        refused = other.post(scene.url, data=as_form_data(with_values(
            theirs, rating="serious_concern")))
        assert refused.status_code == 409
        assert stored_rating(db).rating == Rating.NO_CONCERN


def test_deleting_a_programme_deletes_its_ratings_and_agenda_items_with_a_trace(client, scene,
                                                                               db):
    assert rate(client, scene, rating="no_concern",
                evidence=[f"source-{scene.source}"]).status_code == 303
    hearing = client.post("/hearings", data={"committee": "Committee", "title": "Hearing",
                                             "held_on": "2026-03-19", "classification": "public"})
    client.post(f"{hearing.headers['location']}/agenda", data={"programme_id": scene.programme})
    assert client.post(f"/programmes/{scene.programme}/delete").status_code == 303
    assert stored_rating(db) is None and stored_evidence(db) == []
    deleted = {e.record_type for e in db.exec(select(AuditEvent).where(
        AuditEvent.action == "delete"))}
    assert {"safeguard_rating", "safeguard_evidence", "agenda_item"} <= deleted
    assert "No programmes on the agenda" in client.get(hearing.headers["location"]).text


def test_programmes_without_evidence_counts_unrated_and_no_evidence_criteria(client, scene, db):
    rated = programme(db, "AAA-RATED")
    db.commit()
    codes = [f"C{n}" for n in range(1, 15)]
    for code in codes:
        url = f"/programmes/{rated}/safeguards/{criterion_id(db, code)}"
        level = "no_evidence" if code == "C3" else "some_concern"
        classification = "restricted" if code == "C5" else "public"
        assert client.post(url, data={"rating": level, "classification": classification}
                           ).status_code == 303

    db.expire_all()
    found = {p.reference_code: [c.code for c in criteria]
             for p, criteria in programmes_without_evidence(db)}
    assert found == {"AAA-RATED": ["C3"], "EPF-SCORE-1": codes}
    assert [p.reference_code for p, _ in programmes_without_evidence(db)] == [
        "AAA-RATED", "EPF-SCORE-1"]
    # For a reader without clearance the restricted rating of C5 is no rating at all.
    set_reader_clearance(db, Classification.PUBLIC)
    db.expire_all()
    found = {p.reference_code: [c.code for c in criteria]
             for p, criteria in programmes_without_evidence(db)}
    assert found["AAA-RATED"] == ["C3", "C5"]


@pytest.mark.parametrize("editor", ["staff", "staff_public"])
def test_evidence_goes_with_a_source_removed_from_the_programme(client, client_for, server,
                                                                scene, db, editor):
    """Also evidence the person removing the source cannot see (here a restricted rating's):
    the database would drop it anyway; it goes with its audit event."""
    assert rate(client, scene, rating="serious_concern", classification="restricted",
                evidence=[f"source-{scene.source}"]).status_code == 303
    [evidence_id] = [e.id for e in stored_evidence(db)]
    http = client_for(server, editor)
    url = f"/programmes/{scene.programme}/edit"
    fields = form_fields(http.get(url).text, url) + [("action", "save")]
    response = http.post(url, data=as_form_data(with_values(
        fields, source__0__title="", source__0__url="")))
    assert response.status_code == 303, response.text
    assert stored_evidence(db) == [] and stored_rating(db) is not None
    event = db.exec(select(AuditEvent).where(AuditEvent.record_type == "safeguard_evidence",
                                             AuditEvent.action == "delete")).one()
    assert event.record_id == evidence_id and event.classification == Classification.RESTRICTED
    assert event.parent_id == scene.programme
