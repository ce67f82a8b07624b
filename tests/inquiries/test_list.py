"""The inquiry list: derived status, filters that work with and without htmx, the default
order (overdue first), and the programme page's list of its inquiries."""

import re
from datetime import timedelta

import pytest
from sqlmodel import select

from app import clock
from app.inquiries.deadlines import DeadlineRule, compute_due_date
from app.models import AuditEvent, DayCount, InquiryProgramme
from tests.factories import programme_form
from tests.inquiries.inquiry_factories import create, id_of

TODAY = clock.today()


def days_ago(n: int) -> str:
    return (TODAY - timedelta(days=n)).isoformat()


@pytest.fixture
def inquiries(client) -> dict[str, int]:
    """An overdue, an open, a draft and a withdrawn inquiry, of different types and ministries."""
    client.post("/programmes", data=programme_form())
    made = {
        "overdue": create(client, title="Overdue question", reference="Drucksache 20/1",
                          submitted_on=days_ago(60), programmes=["EPF-TEST-2021-1"]),
        "open": create(client, title="Open question", reference="Drucksache 20/2",
                       submitted_on=days_ago(0), ministries=["BMZ"], lead_ministry="BMZ",
                       asked_by="Agnieszka Brugger", faction="GRÜNE"),
        "draft": create(client, title="Draft letter", reference="", submitted_on="",
                        inquiry_type="letter"),
        "withdrawn": create(client, title="Withdrawn question", reference="Drucksache 20/3",
                            submitted_on=days_ago(90)),
    }
    client.post(f"{made['withdrawn']}/withdraw", data={"withdrawn_on": days_ago(80)})
    return {name: id_of(location) for name, location in made.items()}


def titles(html: str) -> list[str]:
    return re.findall(r'<td><a href="/inquiries/\d+" hx-boost="false">([^<]+)</a>', html)


class TestList:
    def test_columns_and_derived_status_in_words(self, client, inquiries):
        page = client.get("/inquiries").text
        assert "Showing 1–4 of 4 inquiries." in page
        row = page[page.index("Overdue question"):].split("</tr>")[0]
        assert "Minor interpellation (Kleine Anfrage)" in row
        assert '<abbr title="Auswärtiges Amt (Federal Foreign Office)">AA</abbr>' in row
        assert days_ago(60) in row and ">Overdue</span>" in row
        draft = page[page.index("Draft letter"):].split("</tr>")[0]
        assert "Not yet" in draft and ">Draft</span>" in draft

    def test_overdue_first_then_open_then_drafts_then_closed(self, client, inquiries):
        assert titles(client.get("/inquiries").text) == [
            "Overdue question", "Open question", "Draft letter", "Withdrawn question"]

    def test_other_sorts_by_column(self, client, inquiries):
        page = client.get("/inquiries?sort=title&dir=desc").text
        assert titles(page) == ["Withdrawn question", "Overdue question", "Open question",
                                "Draft letter"]
        assert titles(client.get("/inquiries?sort=submitted").text)[-1] == "Draft letter"

    @pytest.mark.parametrize(("query", "expected"), [
        ("status=overdue", ["Overdue question"]),
        ("status=withdrawn", ["Withdrawn question"]),
        ("status=draft", ["Draft letter"]),
        ("type=letter", ["Draft letter"]),
        ("ministry=BMZ", ["Open question"]),
        ("q=brugger", ["Open question"]),
        ("q=GRÜNE", ["Open question"]),
        ("q=20%2F3", ["Withdrawn question"]),
        ("status=answered", []),
        ("status=nonsense", ["Overdue question", "Open question", "Draft letter",
                             "Withdrawn question"]),
    ])
    def test_filters_without_javascript(self, client, inquiries, query, expected):
        page = client.get(f"/inquiries?{query}").text
        assert titles(page) == expected
        if not expected:
            assert "No inquiries match these filters." in page

    def test_filter_by_linked_programme(self, client, db, inquiries):
        page = client.get("/programmes").text
        programme_id = re.search(r'href="/programmes/(\d+)"', page).group(1)
        page = client.get(f"/inquiries?programme={programme_id}").text
        assert titles(page) == ["Overdue question"]
        assert "About programme" in page and "EPF-TEST-2021-1" in page
        assert titles(client.get("/inquiries?programme=999999").text)[0] == "Overdue question"

    def test_htmx_gets_only_the_results_and_a_clean_address(self, client, inquiries):
        response = client.get("/inquiries?status=overdue&q=&type=",
                              headers={"HX-Request": "true"})
        assert response.status_code == 200
        assert "<html" not in response.text and response.text.lstrip().startswith(
            '<p id="results-status"')
        assert 'id="results"' in response.text
        assert "Showing 1–1 of 1 inquiry matching the filters." in response.text
        assert response.headers["HX-Replace-Url"] == "/inquiries?status=overdue"
        assert response.headers["Vary"] == "HX-Request"
        assert titles(response.text) == ["Overdue question"]

    def test_pages_of_the_configured_size(self, client, server, inquiries):
        for n in range(server.settings.page_size):
            create(client, title=f"Bulk {n:02d}", submitted_on=days_ago(1))
        page = client.get("/inquiries").text
        assert f"of {server.settings.page_size + 4} inquiries" in page and 'id="page-next"' in page
        second = client.get("/inquiries?page=2").text
        assert len(titles(second)) == 4 and "Withdrawn question" in titles(second)


class TestProgrammePage:
    def test_programme_page_lists_its_inquiries_with_status_and_due(self, client, server,
                                                                    inquiries):
        page = client.get("/programmes").text
        programme_page = client.get(re.search(r'href="(/programmes/\d+)"', page).group(1)).text
        section = programme_page[programme_page.index("Inquiries about this programme"):]
        section = section[:section.index("</section>")]
        assert "Overdue question" in section and "Drucksache 20/1" in section
        assert ">Overdue</span>" in section
        rule = DeadlineRule("Minor interpellation", DayCount.CALENDAR, 14)
        due = compute_due_date(TODAY - timedelta(days=60), rule, server.settings.working_calendar)
        assert f"{due.date.isoformat()}</td>" in section
        assert "Open question" not in section
        assert "/inquiries?programme=" in section


def test_deleting_a_programme_unlinks_its_inquiries_on_the_record(client, db, inquiries):
    page = client.get("/programmes").text
    programme = re.search(r'href="(/programmes/\d+)"', page).group(1)
    assert client.post(f"{programme}/delete").status_code == 303
    db.expire_all()
    assert db.exec(select(InquiryProgramme)).all() == []
    assert db.exec(select(AuditEvent).where(AuditEvent.record_type == "inquiry_programme",
                                            AuditEvent.action == "delete")).one()
    assert "Overdue question" in client.get("/inquiries").text
