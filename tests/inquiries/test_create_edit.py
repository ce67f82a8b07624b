"""Logging and editing an inquiry through its form, over HTTP, on a migrated file."""

import re

import pytest
from sqlmodel import select

from app.models import Classification, Inquiry, InquiryItem, InquiryMinistry, Ministry
from tests.inquiries.inquiry_factories import (
    create, id_of, inquiry_form, items_of, opened_version, stored,
)
from tests.programmes.test_create_edit_delete import field_error

QUESTIONS = """Vorbemerkung der Fragesteller: Die EU finanziert die Ausbildung.

1. Welche Einheiten wurden ausgebildet?
2. Wie viele Soldaten
   nahmen teil?
3) Welche Ausrüstung wurde geliefert?
"""


def checked(page: str, name: str, value: str) -> bool:
    tag = re.search(rf'<input type="(?:checkbox|radio)" name="{name}" value="{value}"[^>]*>', page)
    return bool(tag) and " checked" in tag.group(0)


def inquiry_count(db) -> int:
    db.expire_all()
    return len(db.exec(select(Inquiry)).all())


class TestCreate:
    def test_new_form_has_labelled_fields_and_grouped_choices(self, client):
        page = client.get("/inquiries/new").text
        for field in ("inquiry_type", "reference", "title", "asked_by", "faction",
                      "submitted_on", "set_due_date", "preamble", "programmes",
                      "classification", "questions"):
            assert f'<label for="{field}">' in page and f'id="{field}"' in page, field
        assert "<legend>Addressed to</legend>" in page and "<legend>Lead ministry</legend>" in page
        assert 'type="radio" name="lead_ministry" value="BMVg"' in page
        assert "Minor interpellation (Kleine Anfrage)" in page

    def test_created_inquiry_is_stored_with_lead_ministry_and_pasted_items(self, client, db):
        location = create(client, preamble="", questions=QUESTIONS)
        inquiry = stored(db, id_of(location))
        assert inquiry.title == "Ertüchtigung der Streitkräfte Mosambiks"
        assert inquiry.preamble == ("Vorbemerkung der Fragesteller: "
                                    "Die EU finanziert die Ausbildung.")
        links = db.exec(select(Ministry.code, InquiryMinistry.lead)
                        .join(Ministry, Ministry.id == InquiryMinistry.ministry_id)
                        .where(InquiryMinistry.inquiry_id == inquiry.id)).all()
        assert sorted(links) == [("AA", True), ("BMVg", False)]
        assert items_of(db, inquiry.id) == [
            (1, "Welche Einheiten wurden ausgebildet?"),
            (2, "Wie viele Soldaten nahmen teil?"),
            (3, "Welche Ausrüstung wurde geliefert?"),
        ]

        page = client.get(location).text
        assert "Drucksache 20/4473" in page and "Sevim Dağdelen" in page
        assert "Auswärtiges Amt (Federal Foreign Office) <strong>(lead)</strong>" in page
        assert "Wie viele Soldaten nahmen teil?" in page

    def test_one_ministry_is_the_lead_without_choosing_it(self, client, db):
        location = create(client, ministries=["BMZ"], lead_ministry="")
        lead = db.exec(select(InquiryMinistry).where(
            InquiryMinistry.inquiry_id == id_of(location))).one()
        assert lead.lead

    def test_empty_submitted_date_makes_a_draft(self, client):
        page = client.get(create(client, submitted_on="", reference="")).text
        assert '<span class="badge inquiry-status status-draft">Draft</span>' in page
        assert "Not submitted yet: the due date is computed from the date" in page


BAD_INPUT = [
    pytest.param({"set_due_date": "2026-02-20"}, "set_due_date",
                 "The due date is before the submitted date (2026-03-01).",
                 id="due-before-submitted"),
    pytest.param({"title": "  "}, "title", "The title is required.", id="missing-title"),
    pytest.param({"submitted_on": "1.3.2026"}, "submitted_on",
                 "Enter a real date as YYYY-MM-DD", id="bad-date"),
    pytest.param({"submitted_on": "2026-02-30"}, "submitted_on",
                 "Enter a real date as YYYY-MM-DD", id="impossible-date"),
    pytest.param({"lead_ministry": ""}, "lead_ministry",
                 "Choose which of the ministries is the lead",
                 id="no-lead-of-two"),
    pytest.param({"programmes": ["NO-SUCH-1"]}, "programmes",
                 "No programme has the reference code “NO-SUCH-1”", id="unknown-programme"),
    pytest.param({"title": "<script>x</script>"}, "title", "must not contain HTML tags",
                 id="html-in-title"),
    pytest.param({"questions": "1. Wer?\n2. <script>x</script>"}, "questions",
                 "must not contain HTML tags", id="html-in-pasted-questions"),
    pytest.param({"classification": "secret"}, "classification",
                 "Choose public, restricted or confidential.", id="bad-marking"),
]


class TestRefusedCreate:
    @pytest.mark.parametrize(("overrides", "field", "message"), BAD_INPUT)
    def test_refused_with_message_next_to_the_field_and_nothing_saved(self, client, db,
                                                                      overrides, field, message):
        response = client.post("/inquiries",
                               data=inquiry_form(**{"questions": QUESTIONS, **overrides}))
        assert response.status_code == 422
        assert message in field_error(response.text, field)
        assert "Nothing has been saved" in response.text
        assert inquiry_count(db) == 0
        assert db.exec(select(InquiryItem)).all() == []

    def test_every_problem_is_reported_at_once_and_everything_typed_comes_back(self, client, db):
        response = client.post("/inquiries", data=inquiry_form(
            title="", submitted_on="2026-03-10", set_due_date="2026-03-01",
            asked_by="Agnieszka Brugger", faction="BÜNDNIS 90/DIE GRÜNEN",
            reference="Drucksache 20/9999", questions="1. Erste Frage?\n2. Zweite Frage?",
            ministries=["BMZ", "BMF"], lead_ministry="BMF", preamble="Text & more"))
        assert response.status_code == 422
        page = response.text
        assert "There are 2 problems with this form" in page
        assert "The title is required." in field_error(page, "title")
        assert "before the submitted date (2026-03-10)" in field_error(page, "set_due_date")
        for typed in ('value="2026-03-10"', 'value="2026-03-01"', 'value="Agnieszka Brugger"',
                      'value="BÜNDNIS 90/DIE GRÜNEN"', 'value="Drucksache 20/9999"',
                      "1. Erste Frage?\n2. Zweite Frage?", "Text &amp; more"):
            assert typed in page, typed
        assert checked(page, "ministries", "BMZ") and checked(page, "ministries", "BMF")
        assert checked(page, "lead_ministry", "BMF") and not checked(page, "ministries", "AA")
        assert inquiry_count(db) == 0

    def test_pasted_text_without_numbers_is_refused(self, client, db):
        response = client.post("/inquiries", data=inquiry_form(questions="Just some text."))
        assert response.status_code == 422
        assert "No numbered questions were found" in field_error(response.text, "questions")
        assert inquiry_count(db) == 0

    def test_marking_above_own_clearance_is_refused(self, server, client_for, db):
        response = client_for(server, "staff_public").post(
            "/inquiries", data=inquiry_form(classification="restricted"))
        assert response.status_code == 422
        assert "above your own clearance" in field_error(response.text, "classification")


class TestEdit:
    def test_changes_are_saved_and_the_form_shows_stored_values(self, client, db):
        location = create(client)
        form_page = client.get(f"{location}/edit").text
        assert 'value="Drucksache 20/4473"' in form_page
        assert checked(form_page, "lead_ministry", "AA")
        response = client.post(f"{location}/edit", data=inquiry_form(
            version=opened_version(client, location), title="Neuer Titel",
            ministries=["BMVg"], lead_ministry="BMVg", set_due_date="2026-04-01"))
        assert response.status_code == 303
        inquiry = stored(db, id_of(location))
        assert inquiry.title == "Neuer Titel" and inquiry.set_due_date.isoformat() == "2026-04-01"
        assert [(m.ministry_id, m.lead) for m in db.exec(select(InquiryMinistry).where(
            InquiryMinistry.inquiry_id == inquiry.id))] == [
            (db.exec(select(Ministry.id).where(Ministry.code == "BMVg")).one(), True)]
        assert "Deadline set by the committee: Wednesday 2026-04-01." in client.get(location).text

    def test_second_save_is_refused_with_the_typed_values_kept(self, client, client_for, server,
                                                             db):
        location = create(client)
        other = client_for(server, "admin")
        first = inquiry_form(version=opened_version(client, location), title="Title from the clerk")
        second = inquiry_form(version=opened_version(other, location),
                              title="Title from the administrator", faction="SPD")
        assert client.post(f"{location}/edit", data=first).status_code == 303
        refused = other.post(f"{location}/edit", data=second)
        assert refused.status_code == 409
        assert re.search(r"This record was changed by staff at \d{4}-\d\d-\d\d \d\d:\d\d UTC",
                         refused.text)
        assert 'value="Title from the administrator"' in refused.text
        assert 'value="SPD"' in refused.text
        assert stored(db, id_of(location)).title == "Title from the clerk"
        version = re.search(r'name="version" value="(\d+)"', refused.text).group(1)
        assert other.post(f"{location}/edit", data=dict(second, version=version)).status_code == 303
        assert stored(db, id_of(location)).title == "Title from the administrator"

    def test_raising_the_inquiry_raises_its_items(self, client, db):
        location = create(client, questions="1. Eins?\n2. Zwei?")
        response = client.post(f"{location}/edit", data=inquiry_form(
            version=opened_version(client, location), classification="restricted"))
        assert response.status_code == 303
        db.expire_all()
        levels = {i.classification for i in db.exec(select(InquiryItem))}
        assert levels == {Classification.RESTRICTED}

    def test_linked_programmes_by_reference_code(self, client, db):
        from tests.factories import programme_form
        client.post("/programmes", data=programme_form())
        location = create(client, programmes=["EPF-TEST-2021-1"])
        page = client.get(location).text
        assert ">EPF-TEST-2021-1</a>" in page
        form_page = client.get(f"{location}/edit").text
        assert re.search(r'<option value="EPF-TEST-2021-1" selected>', form_page)
