"""Creating, editing and deleting a programme through the forms, over HTTP, on a migrated file."""

import re

import pytest
from sqlmodel import select

from app.models import FundingKind, FundingLine, ProgrammeStatus
from tests.factories import edit_form, programme_form, row_counts, stored_programme


def create(client, **overrides):
    return client.post("/programmes", data=programme_form(**overrides))


class TestCreate:
    def test_new_form_has_labelled_fields(self, client):
        page = client.get("/programmes/new")
        assert page.status_code == 200
        for field in ("reference_code", "title", "instrument", "recipient_country",
                      "start_date", "end_date", "summary", "funding-0-amount", "source-0-url"):
            assert f'<label for="{field}">' in page.text
            assert f'id="{field}"' in page.text

    def test_created_programme_is_stored_and_shown(self, client, db):
        response = create(client)
        assert response.status_code == 303
        location = response.headers["location"]
        assert re.fullmatch(r"/programmes/\d+", location)

        stored = stored_programme(db, "EPF-TEST-2021-1")
        assert stored.recipient_country == "MD"
        assert stored.status == ProgrammeStatus.ACTIVE
        lines = db.exec(select(FundingLine).where(FundingLine.programme_id == stored.id)
                        .order_by(FundingLine.year)).all()
        assert [(l.year, l.kind, l.amount_cents, l.currency) for l in lines] == [
            (2021, FundingKind.COMMITMENT, 700_000_000, "EUR"),
            (2023, FundingKind.DISBURSEMENT, 250_000_050, "EUR"),
        ]

        page = client.get(location)
        assert page.status_code == 200
        assert "EPF assistance measure for the Test Defence Forces" in page.text
        assert "Moldova" in page.text
        assert "EUR 7,000,000" in page.text
        assert "EUR 2,500,000.50" in page.text
        assert "<strong>EOD</strong>" in page.text
        assert 'href="https://eur-lex.europa.eu/eli/dec/2021/2136/oj"' in page.text

    def test_blank_funding_and_source_rows_are_ignored(self, client, db):
        response = create(client, **{
            "funding-2-year": "", "funding-2-amount": "", "funding-2-currency": "",
            "funding-2-note": "", "source-1-title": "", "source-1-url": "",
        })
        assert response.status_code == 303
        assert row_counts(db) == {"Programme": 1, "FundingLine": 2, "Source": 1}

    def test_amount_with_thousands_commas_is_understood(self, client, db):
        assert create(client, **{"funding-0-amount": "40,000,000"}).status_code == 303
        stored = stored_programme(db, "EPF-TEST-2021-1")
        line = db.exec(select(FundingLine).where(FundingLine.programme_id == stored.id,
                                                 FundingLine.year == 2021)).one()
        assert line.amount_cents == 4_000_000_000


def field_error(html: str, field: str) -> str:
    """The message shown next to `field`, which the field points to with aria-describedby."""
    match = re.search(rf'<p class="field-error" id="{re.escape(field)}-error">(.*?)</p>', html, re.S)
    assert match, f"no error shown next to {field}"
    control = re.search(rf'<(?:input|select|textarea)[^>]*\bid="{re.escape(field)}"[^>]*>', html)
    assert control and f"{field}-error" in control.group(0) and 'aria-invalid="true"' in control.group(0)
    return re.sub(r"<[^>]+>", "", match.group(1)).replace("Error:", "").strip()


BAD_INPUT = [
    pytest.param({"recipient_country": "XX"}, "recipient_country", "Unknown country code",
                 id="unknown-country"),
    pytest.param({"funding-0-amount": "-5"}, "funding-0-amount", "cannot be negative",
                 id="negative-amount"),
    pytest.param({"funding-0-amount": "seven million"}, "funding-0-amount",
                 "Enter the amount as a number", id="non-numeric-amount"),
    pytest.param({"funding-0-amount": "1.000,50"}, "funding-0-amount", "as 1000.50",
                 id="german-style-amount"),
    pytest.param({"funding-0-currency": "XYZ"}, "funding-0-currency", "Unknown currency",
                 id="unknown-currency"),
    pytest.param({"funding-0-currency": "XAU"}, "funding-0-currency", "Unknown currency",
                 id="gold-is-not-a-currency"),
    pytest.param({"funding-0-amount": "9" * 29}, "funding-0-amount", "too large",
                 id="amount-29-digits"),
    pytest.param({"funding-0-amount": "1250,50"}, "funding-0-amount", "as 1250.50",
                 id="decimal-comma"),
    pytest.param({"funding-0-amount": "0.001"}, "funding-0-amount", "at most 2 decimals",
                 id="three-decimals"),
    pytest.param({"funding-0-year": "²⁰²⁴"}, "funding-0-year", "Enter a year",
                 id="superscript-year"),
    pytest.param({"start_date": "20211202"}, "start_date", "YYYY-MM-DD", id="compact-date"),
    pytest.param({"funding-0-year": "20x1"}, "funding-0-year", "Enter a year", id="bad-year"),
    pytest.param({"start_date": "2024-05-01", "end_date": "2024-04-30"}, "end_date",
                 "before the start date", id="end-before-start"),
    pytest.param({"start_date": "31/12/2024"}, "start_date", "YYYY-MM-DD", id="bad-date"),
    pytest.param({"title": "x" * 10_000}, "title", "10,000 characters long; the limit is 200",
                 id="title-10000-chars"),
    pytest.param({"title": ""}, "title", "required", id="missing-title"),
    pytest.param({"kinds": []}, "kinds", "at least one kind", id="no-kind"),
    pytest.param({"instrument": "NOPE"}, "instrument", "Choose an instrument", id="unknown-instrument"),
    pytest.param({"source-0-url": "javascript:alert(1)"}, "source-0-url", "https://",
                 id="script-url"),
    pytest.param({"reference_code": "EPF 1; DROP"}, "reference_code", "letters, digits",
                 id="bad-reference"),
]

TEXT_FIELDS = ["reference_code", "title", "recipient_units", "legal_basis",
               "implementing_bodies", "summary", "funding-0-note", "source-0-title",
               "source-0-note"]


class TestBadInputOnCreate:
    @pytest.mark.parametrize(("overrides", "field", "message"), BAD_INPUT)
    def test_refused_with_message_next_to_field_and_nothing_saved(
        self, client, db, overrides, field, message
    ):
        response = create(client, **overrides)
        assert response.status_code == 422
        assert message in field_error(response.text, field)
        assert "Nothing has been saved" in response.text
        assert row_counts(db) == {"Programme": 0, "FundingLine": 0, "Source": 0}

    @pytest.mark.parametrize("field", TEXT_FIELDS)
    def test_html_or_script_in_any_text_field_is_refused(self, client, db, field):
        response = create(client, **{field: 'Hello <script>alert("x")</script>'})
        assert response.status_code == 422
        assert "must not contain HTML" in field_error(response.text, field)
        assert "<script>alert" not in response.text  # shown back escaped, never live
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in response.text
        assert row_counts(db)["Programme"] == 0

    def test_everything_typed_comes_back(self, client):
        form = programme_form(recipient_country="XX", **{"funding-1-amount": "abc"})
        response = client.post("/programmes", data=form)
        assert response.status_code == 422
        html = response.text
        assert 'value="EPF-TEST-2021-1"' in html
        assert 'value="EPF assistance measure for the Test Defence Forces"' in html
        assert "Medical equipment and **EOD** equipment." in html
        assert 'value="abc"' in html
        assert 'value="2500000.50"' not in html and 'value="7000000"' in html
        assert re.search(r'value="non_lethal_equipment"[^>]* checked', html)
        assert re.search(r'value="training"[^>]* checked', html)
        assert 'value="https://eur-lex.europa.eu/eli/dec/2021/2136/oj"' in html

    def test_several_errors_are_all_reported_at_once(self, client):
        response = create(client, recipient_country="XX", title="",
                          **{"funding-0-currency": "XYZ"})
        assert response.status_code == 422
        assert 'class="error-summary"' in response.text
        for field in ("recipient_country", "title", "funding-0-currency"):
            field_error(response.text, field)
        assert 'href="#funding-0-currency"' in response.text

    def test_duplicate_code_is_reported_with_the_other_problems(self, client, db):
        assert create(client).status_code == 303
        response = create(client, **{"funding-0-amount": "abc"})
        assert response.status_code == 422
        field_error(response.text, "funding-0-amount")
        assert "already has the reference code" in field_error(response.text, "reference_code")

    def test_error_summary_follows_the_page_order(self, client):
        response = create(client, status="", title="", **{"funding-0-amount": "x",
                                                            "source-0-url": "ftp://x"})
        order = re.findall(r'<li><a href="#([^"]+)">', response.text)
        assert order == ["status", "title", "funding-0-amount", "source-0-url"]

    def test_too_many_funding_lines_is_refused_not_cut(self, client, db):
        lines = {}
        for i in range(201):
            lines.update({f"funding-{i}-year": "2022", f"funding-{i}-kind": "commitment",
                          f"funding-{i}-amount": "1", f"funding-{i}-currency": "EUR"})
        response = create(client, **lines)
        assert response.status_code == 422
        assert "At most 200 funding lines" in response.text
        assert row_counts(db)["Programme"] == 0

    def test_less_than_sign_in_plain_text_is_fine(self, client, db):
        response = create(client, recipient_units="Units below battalion level (< 500 troops)",
                          summary="Budget < EUR 10m; see <https://eur-lex.europa.eu/x>")
        assert response.status_code == 303
        page = client.get(response.headers["location"]).text
        assert "(&lt; 500 troops)" in page
        assert 'href="https://eur-lex.europa.eu/x"' in page

    def test_duplicate_reference_code(self, client, db):
        assert create(client).status_code == 303
        response = create(client, title="Another programme")
        assert response.status_code == 422
        assert "already has the reference code" in field_error(response.text, "reference_code")
        assert row_counts(db)["Programme"] == 1
        assert stored_programme(db, "EPF-TEST-2021-1").title.startswith("EPF assistance")


class TestEdit:
    def test_edit_form_is_filled_from_the_record(self, client):
        location = create(client).headers["location"]
        page = client.get(f"{location}/edit")
        assert page.status_code == 200
        assert 'value="EPF-TEST-2021-1"' in page.text
        assert 'value="2500000.50"' in page.text
        assert 'value="7000000"' in page.text
        assert '<option value="MD" selected>Moldova</option>' in page.text

    def test_saving_changes_replaces_fields_and_lines(self, client, db):
        location = create(client).headers["location"]
        form = edit_form(client, location, title="Renamed measure", status="suspended", **{
            "funding-1-year": None, "funding-1-kind": None, "funding-1-amount": None,
            "funding-1-currency": None, "funding-1-note": None,
            "source-1-title": "Council press release", "source-1-url": "https://www.consilium.europa.eu/x",
            "source-1-confidence": "unverified", "source-1-note": "secondary",
        })
        response = client.post(f"{location}/edit", data=form)
        assert response.status_code == 303 and response.headers["location"] == location
        stored = stored_programme(db, "EPF-TEST-2021-1")
        assert stored.title == "Renamed measure"
        assert stored.status == ProgrammeStatus.SUSPENDED
        assert row_counts(db) == {"Programme": 1, "FundingLine": 1, "Source": 2}
        page = client.get(location)
        assert "Renamed measure" in page.text
        assert "Unverified" in page.text and "Contains unverified facts" in page.text

    def test_changing_kinds_keeps_shared_kinds(self, client, db):
        location = create(client).headers["location"]
        form = edit_form(client, location, kinds=["training", "advisory"])
        assert client.post(f"{location}/edit", data=form).status_code == 303
        page = client.get(location)
        assert "Advisory, Training" in page.text

    @pytest.mark.parametrize(("overrides", "field", "message"), BAD_INPUT[:8])
    def test_bad_edit_changes_nothing(self, client, db, overrides, field, message):
        location = create(client).headers["location"]
        before = row_counts(db)
        response = client.post(f"{location}/edit", data=edit_form(
            client, location, title="Should not be saved", **overrides))
        assert response.status_code == 422
        assert message in field_error(response.text, field)
        assert row_counts(db) == before
        assert stored_programme(db, "EPF-TEST-2021-1").title.startswith("EPF assistance")

    def test_taking_another_programmes_reference_is_refused(self, client, db):
        create(client)
        other = create(client, reference_code="E2I-TUN-1", title="Tunisia border").headers["location"]
        response = client.post(f"{other}/edit", data=edit_form(client, other, title="Tunisia border"))
        assert response.status_code == 422
        assert "already has the reference code" in field_error(response.text, "reference_code")
        assert stored_programme(db, "E2I-TUN-1") is not None

    def test_absurd_ids_are_404_not_errors(self, client):
        for url in ("/programmes/99999999999999999999", "/programmes/0", "/programmes/-1/edit",
                    "/programmes/99999999999999999999/funding.svg"):
            assert client.get(url).status_code == 404, url

    def test_editing_a_missing_programme_is_404(self, client):
        assert client.get("/programmes/999/edit").status_code == 404
        assert client.post("/programmes/999/edit", data=programme_form()).status_code == 404


class TestRowsWithoutJavaScript:
    """The add/remove buttons submit the form; the page comes back with one row more or less."""

    def test_add_a_funding_line_keeps_what_was_typed(self, client, db):
        response = client.post("/programmes", data=programme_form(action="add-funding"))
        assert response.status_code == 200
        assert 'id="funding-2-year"' in response.text
        assert 'value="2500000.50"' in response.text
        assert "<html" in response.text
        assert row_counts(db)["Programme"] == 0

    def test_remove_a_source(self, client):
        response = client.post("/programmes", data=programme_form(**{
            "action": "remove-source-0"}))
        assert 'id="source-0-title"' not in response.text
        assert 'id="funding-1-amount"' in response.text

    def test_htmx_gets_only_the_changed_fieldset(self, client):
        response = client.post("/programmes", data=programme_form(action="add-source"),
                               headers={"HX-Request": "true"})
        assert response.status_code == 200
        assert '<fieldset id="sources"' in response.text
        assert "<html" not in response.text and 'id="funding-lines"' not in response.text
        # a fresh row gets the focus; a stale error summary is emptied out of band
        assert re.search(r'id="source-1-title"[^>]*autofocus', response.text)
        assert '<div id="error-summary-slot" hx-swap-oob="true"></div>' in response.text
        assert 'id="source-1-title"' in response.text
        assert response.headers["vary"] == "HX-Request"


class TestDelete:
    def test_delete_asks_for_confirmation_first(self, client, db):
        location = create(client).headers["location"]
        page = client.get(f"{location}/delete")
        assert page.status_code == 200
        assert "cannot be undone" in page.text
        assert f'action="{location}/delete"' in page.text
        assert row_counts(db)["Programme"] == 1

    def test_confirmed_delete_removes_programme_with_its_lines(self, client, db):
        location = create(client).headers["location"]
        response = client.post(f"{location}/delete")
        assert response.status_code == 303
        assert response.headers["location"] == "/programmes?deleted=1"
        assert row_counts(db) == {"Programme": 0, "FundingLine": 0, "Source": 0}
        assert "The programme was deleted" in client.get(response.headers["location"]).text
        assert client.get(location).status_code == 404

    def test_deleting_a_missing_programme_is_404(self, client):
        assert client.post("/programmes/12345/delete").status_code == 404


class TestMarkdown:
    def test_summary_is_rendered_and_sanitised(self, client):
        location = create(client, summary="**Bold** [link](javascript:alert(1)) [ok](https://example.org)").headers["location"]
        page = client.get(location).text
        assert "<strong>Bold</strong>" in page
        assert 'href="javascript:' not in page
        assert 'href="https://example.org"' in page
