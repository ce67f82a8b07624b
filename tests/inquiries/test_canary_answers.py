"""Canary for answers: a restricted answer item and a restricted file (its name and its
extracted text) hold a unique string; no page, fragment, download or follow-up reaches a reader
without clearance with it, and cleared readers see it marked."""

from collections.abc import Iterator

import httpx
import pytest
from sqlmodel import select

from app.accounts.service import create_user
from app.models import Assessment, Classification, Inquiry, InquiryItem, RefusalReason, Role
from tests.conftest import (
    PASSWORD, LiveServer, _settings_for, http_client, sign_in, system_session,
)
from tests.inquiries.answer_world import store_answer, store_attachment, store_inquiry

CANARY = "CANARY-ANSWER-5e1d"
RESTRICTED = Classification.RESTRICTED


@pytest.fixture
def world(data_dir, empty_db) -> Iterator[tuple[LiveServer, dict]]:
    public = store_inquiry(empty_db, items=2, title="Public inquiry with a secret answer")
    store_answer(empty_db, public, assessments={
        1: ("Public evasive answer.", Assessment.EVASIVE, None, Classification.PUBLIC),
        2: (f"{CANARY} refused answer", Assessment.REFUSED, RefusalReason.CLASSIFIED,
            RESTRICTED),
    })
    secret = store_inquiry(empty_db, items=1, title=f"{CANARY} restricted inquiry",
                           classification=RESTRICTED)
    store_answer(empty_db, secret, classification=RESTRICTED, assessments={
        1: (f"{CANARY} partial answer", Assessment.PARTIAL, None, RESTRICTED)})
    ids = {
        "public": public, "secret": secret,
        "public_file": store_attachment(data_dir, public, filename="public.pdf"),
        "secret_file": store_attachment(data_dir, public, filename=f"{CANARY}-annex.pdf",
                                        text=f"{CANARY} extracted text", compress=False,
                                        classification=RESTRICTED),
        "secret_answer_file": store_attachment(data_dir, secret, classification=RESTRICTED),
    }
    engine, session = system_session(empty_db)
    with session:
        create_user(session, email="admin.public@test.example", name="Public admin",
                    role=Role.ADMIN, clearance=Classification.PUBLIC, password=PASSWORD)
        session.commit()
    engine.dispose()
    with LiveServer(_settings_for(data_dir)) as live:
        yield live, ids


def responses(http, ids) -> dict[str, httpx.Response]:
    """Every page, fragment and file of answers a reader can ask for, keyed by what was asked."""
    p, s = ids["public"], ids["secret"]
    gets = {
        "answer form": f"/inquiries/{p}/answer",
        "remove answer": f"/inquiries/{p}/answer/delete",
        "public file": f"/attachments/{ids['public_file']}",
        "restricted file": f"/attachments/{ids['secret_file']}",
        "restricted answer's file": f"/attachments/{ids['secret_answer_file']}",
        "restricted inquiry's answer form": f"/inquiries/{s}/answer",
        "audit answer items": "/admin/audit?type=answer_item",
        "audit files": "/admin/audit?type=attachment",
        "audit answers": "/admin/audit?type=answer",
    }
    found = {name: http.get(url) for name, url in gets.items()}
    found["answer form fragment"] = http.post(
        f"/inquiries/{p}/answer", data={"action": "split", "paste": "1. Pasted."},
        headers={"HX-Request": "true"})
    found["answer form refused"] = http.post(f"/inquiries/{p}/answer", data={"received_on": ""})
    found["refused upload"] = http.post(f"/inquiries/{p}/answer/attachments", data={})
    return found


def client(live, account: str, open_clients) -> httpx.Client:
    http = sign_in(http_client(live.url), account)
    open_clients.append(http)
    return http


@pytest.mark.parametrize("account", ["mp@test.example", "staff.public@test.example",
                                     "admin.public@test.example"])
def test_nothing_restricted_reaches_a_reader_without_clearance(world, open_clients, account):
    live, ids = world
    found = responses(client(live, account, open_clients), ids)
    for name, response in found.items():
        assert CANARY.encode() not in response.content, name
        assert b'class="marking marking-restricted"' not in response.content, name
    assert found["restricted file"].status_code == 404
    assert found["restricted answer's file"].status_code == 404
    assert found["public file"].status_code == 200
    if account.startswith("staff"):
        assert "Public evasive answer." in found["answer form"].text
        assert "public.pdf" in found["answer form"].text


def test_a_follow_up_drafted_without_clearance_quotes_nothing_restricted(world, open_clients,
                                                                         db):
    live, ids = world
    http = client(live, "staff.public@test.example", open_clients)
    assert http.post(f"/inquiries/{ids['public']}/follow-up").status_code == 303
    db.expire_all()
    draft = db.exec(select(Inquiry).where(Inquiry.follow_up_of_id == ids["public"])).one()
    texts = [i.text for i in db.exec(select(InquiryItem).where(InquiryItem.inquiry_id == draft.id))]
    assert len(texts) == 1 and all(CANARY not in text for text in texts)
    assert draft.classification == Classification.PUBLIC


@pytest.mark.parametrize("account", ["staff@test.example", "admin@test.example"])
def test_cleared_editors_see_it_marked(world, open_clients, account):
    live, ids = world
    found = responses(client(live, account, open_clients), ids)
    form = found["answer form"].text
    assert f"{CANARY} refused answer" in form and f"{CANARY}-annex.pdf" in form
    assert 'class="marking marking-restricted"' in form
    assert 'badge marking-badge-restricted' in form
    assert CANARY in found["restricted inquiry's answer form"].text
    assert CANARY.encode() in found["restricted file"].content
    if account.startswith("admin"):
        assert CANARY in found["audit answer items"].text


def test_a_cleared_member_can_download_the_restricted_file(world, open_clients):
    live, ids = world
    http = client(live, "mp.restricted@test.example", open_clients)
    response = http.get(f"/attachments/{ids['secret_file']}")
    assert response.status_code == 200
    assert CANARY.encode() in response.content
    assert f"{CANARY}-annex.pdf" in response.headers["content-disposition"]
