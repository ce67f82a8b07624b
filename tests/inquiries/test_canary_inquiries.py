"""Canary: a restricted inquiry, a restricted item in a public inquiry, a restricted answer and
a link to a restricted programme never reach a reader without clearance, by any page,
fragment, filter or count; cleared readers see them, marked.
"""

import re
from collections.abc import Iterator
from datetime import date

import httpx
import pytest
from sqlmodel import select

from app.accounts.service import create_user
from app.inquiries import service as inquiries
from app.inquiries.forms import InquiryInput, ItemInput
from app.inquiries.items import add_item
from app.inquiries.paste import PastedItem
from app.models import Answer, AnswerItem, Classification, InquiryProgramme, Role
from app.programmes import service as programmes
from app.programmes.schemas import ProgrammeInput
from tests.conftest import (
    PASSWORD, LiveServer, _settings_for, http_client, sign_in, system_session,
)
from tests.forms import as_form_data, form_fields, with_values

CANARY = "CANARY-INQ-5e1d"
SECRET_PROGRAMME = "RES-CANINQ"   # the reference code of a restricted programme
RESTRICTED_MARK = 'class="marking marking-restricted"'


def _programme(session, code: str, level: str) -> int:
    return programmes.create_programme(session, ProgrammeInput.model_validate({
        "reference_code": code, "title": f"Programme {code}", "instrument": "EPF",
        "recipient_country": "MD", "kinds": ["training"], "status": "active",
        "classification": level})).id


def _inquiry(session, title: str, level: str, programme_codes: list[str],
             questions: list[str], **values) -> int:
    data = InquiryInput.model_validate({
        "inquiry_type": "minor_interpellation", "title": title, "submitted_on": "2026-03-02",
        "ministries": ["AA"], "programmes": programme_codes, "classification": level, **values})
    pasted = [PastedItem(n, text) for n, text in enumerate(questions, start=1)]
    return inquiries.create_inquiry(session, data, pasted).id


@pytest.fixture
def world(data_dir, empty_db) -> Iterator[tuple[LiveServer, dict]]:
    engine, session = system_session(empty_db)
    with session:
        ids = {"programme": _programme(session, "PUB-CANINQ", "public"),
               "secret_programme": _programme(session, SECRET_PROGRAMME, "restricted")}
        ids["public"] = _inquiry(session, "Public inquiry about training", "public",
                                 ["PUB-CANINQ", SECRET_PROGRAMME], ["Public question one?",
                                                                    "Public question two?"])
        public = inquiries.get_inquiry(session, ids["public"])
        ids["public_item"] = public.items[0].id
        ids["secret_item"] = add_item(session, public, ItemInput.model_validate({
            "number": "3", "text": f"{CANARY} restricted question",
            "classification": "restricted"})).id
        answer = Answer(inquiry_id=ids["public"], received_on=date(2026, 3, 14),
                        reference=f"{CANARY} answer", classification=Classification.RESTRICTED)
        session.add(answer)
        session.flush()
        session.add(AnswerItem(answer_id=answer.id, item_id=ids["public_item"],
                               text=f"{CANARY} answer text",
                               classification=Classification.RESTRICTED))
        ids["secret"] = _inquiry(session, f"{CANARY} restricted inquiry", "restricted",
                                 ["PUB-CANINQ"], [f"{CANARY} hidden question?"],
                                 reference="Drucksache 20/5555", asked_by=f"{CANARY} MP")
        create_user(session, email="admin.public@test.example", name="Public admin",
                    role=Role.ADMIN, clearance=Classification.PUBLIC, password=PASSWORD)
        session.commit()
    engine.dispose()
    with LiveServer(_settings_for(data_dir)) as live:
        yield live, ids


def responses(http, ids) -> dict[str, httpx.Response]:
    """Every inquiry page and fragment a reader can ask for, keyed by what was asked."""
    i, s, p, x = ids["public"], ids["secret"], ids["programme"], ids["secret_programme"]
    fragment = {"HX-Request": "true"}
    asks = {
        "list": ("/inquiries", {}),
        "list fragment": ("/inquiries?sort=title", fragment),
        "search canary": (f"/inquiries?q={CANARY}", fragment),
        "search reference": ("/inquiries?q=5555", fragment),
        "filter status": ("/inquiries?status=submitted", fragment),
        "filter overdue": ("/inquiries?status=overdue", fragment),
        "filter answered": ("/inquiries?status=partially_answered", fragment),
        "filter programme": (f"/inquiries?programme={p}", fragment),
        "filter secret programme": (f"/inquiries?programme={x}", fragment),
        "public inquiry": (f"/inquiries/{i}", {}),
        "public edit": (f"/inquiries/{i}/edit", {}),
        "public item edit": (f"/inquiries/{i}/items/{ids['public_item']}/edit", fragment),
        "public delete": (f"/inquiries/{i}/delete", {}),
        "secret inquiry": (f"/inquiries/{s}", {}),
        "secret edit": (f"/inquiries/{s}/edit", {}),
        "secret item": (f"/inquiries/{i}/items/{ids['secret_item']}/edit", fragment),
        "programme": (f"/programmes/{p}", {}),
        "new inquiry": ("/inquiries/new", {}),
        "audit": ("/admin/audit", {}),
        "audit items": ("/admin/audit?type=inquiry_item", {}),
        "audit links": ("/admin/audit?type=inquiry_programme", {}),
    }
    return {name: http.get(url, headers=headers) for name, (url, headers) in asks.items()}


def reader(live, client_for, open_clients, account: str) -> httpx.Client:
    if "@" in account:
        http = sign_in(http_client(live.url), account)
        open_clients.append(http)
        return http
    return client_for(live, account)


@pytest.mark.parametrize("account", ["member", "staff_public", "admin.public@test.example"])
def test_nothing_restricted_reaches_a_reader_without_clearance(world, client_for, open_clients,
                                                               account):
    live, ids = world
    pages = responses(reader(live, client_for, open_clients, account), ids)
    for name, response in pages.items():
        assert CANARY not in response.text, name
        assert SECRET_PROGRAMME not in response.text, name
        assert RESTRICTED_MARK not in response.text, name
        assert "Drucksache 20/5555" not in response.text, name
    assert pages["secret inquiry"].status_code == 404
    assert pages["secret item"].status_code in (403, 404)
    assert "No inquiries match" in pages["search canary"].text
    assert "No inquiries match" in pages["search reference"].text
    assert "No inquiries match" in pages["filter answered"].text  # its answer is hidden
    assert "Showing 1–1 of 1 inquiry." in pages["list"].text
    # A hidden programme is no filter: the list shows everything the reader may see.
    assert "About programme" not in pages["filter secret programme"].text
    public = pages["public inquiry"].text
    assert "(2 items)" in public and "No answer logged yet." in public
    assert "Public question two?" in public


@pytest.mark.parametrize("account", ["member_restricted", "staff", "admin"])
def test_cleared_readers_see_it_marked(world, client_for, open_clients, account):
    live, ids = world
    pages = responses(reader(live, client_for, open_clients, account), ids)
    public = pages["public inquiry"].text
    assert f"{CANARY} restricted question" in public and f"{CANARY} answer text" in public
    assert SECRET_PROGRAMME in public and "(3 items)" in public
    assert RESTRICTED_MARK in public
    secret = pages["secret inquiry"].text
    assert CANARY in secret and RESTRICTED_MARK in secret
    assert CANARY in pages["list"].text and RESTRICTED_MARK in pages["list"].text
    assert "of 2 inquiries" in pages["list"].text
    assert CANARY in pages["search canary"].text
    assert CANARY in pages["programme"].text and RESTRICTED_MARK in pages["programme"].text
    assert "About programme" in pages["filter secret programme"].text
    if account == "admin":
        assert CANARY in pages["audit items"].text


def test_editing_without_clearance_keeps_the_hidden_programme_and_item(world, client_for, db):
    live, ids = world
    http = client_for(live, "staff_public")
    location = f"/inquiries/{ids['public']}"
    page = http.get(f"{location}/edit").text
    fields = with_values(form_fields(page, f"{location}/edit"), title="Public inquiry, retitled")
    assert ("programmes", "PUB-CANINQ") in fields
    response = http.post(f"{location}/edit", data=as_form_data(fields))
    assert response.status_code == 303, response.text
    db.expire_all()
    linked = set(db.exec(select(InquiryProgramme.programme_id).where(
        InquiryProgramme.inquiry_id == ids["public"])).all())
    assert linked == {ids["programme"], ids["secret_programme"]}
    assert inquiries.get_inquiry(db, ids["public"]).title == "Public inquiry, retitled"
    assert len(inquiries.get_inquiry(db, ids["public"]).items) == 3


def test_unlinking_a_visible_programme_keeps_the_hidden_one(world, client_for, db):
    live, ids = world
    http = client_for(live, "staff_public")
    location = f"/inquiries/{ids['public']}"
    fields = [(k, v) for k, v in form_fields(http.get(f"{location}/edit").text,
                                             f"{location}/edit") if k != "programmes"]
    assert http.post(f"{location}/edit", data=as_form_data(fields)).status_code == 303
    db.expire_all()
    assert db.exec(select(InquiryProgramme.programme_id).where(
        InquiryProgramme.inquiry_id == ids["public"])).all() == [ids["secret_programme"]]


def test_a_hidden_programme_cannot_be_linked_by_its_code(world, client_for):
    live, ids = world
    http = client_for(live, "staff_public")
    location = f"/inquiries/{ids['public']}"
    fields = with_values(form_fields(http.get(f"{location}/edit").text, f"{location}/edit"),
                         programmes=[SECRET_PROGRAMME])
    response = http.post(f"{location}/edit", data=as_form_data(fields))
    assert response.status_code == 422
    assert re.search(r"No programme has the reference code “RES-CANINQ”", response.text)
