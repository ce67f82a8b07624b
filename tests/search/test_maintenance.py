"""The index follows every write: edits are found by their new words and not by the old ones,
deleted records (and what the database deletes with them) are gone, uploaded files are found."""

from sqlmodel import select

from app.clearance import set_reader_clearance
from app.models import Classification, Inquiry, InquiryItem, SearchEntry
from app.programmes.service import delete_programme, get_programme
from app.search.maintenance import rebuild_index
from app.search.service import SearchQuery, search
from tests.inquiries.answer_world import store_answer, store_attachment, store_inquiry
from tests.search.corpus import build_corpus, open_session
from tests.conftest import database_in


def found(client, words: str) -> str:
    html = client.get("/search", params={"q": words}).text
    return html[html.index('id="results-status"'):]


def test_an_edited_item_is_found_by_its_new_words_not_its_old(client, data_dir, db):
    inquiry_id = store_inquiry(database_in(data_dir), items=1)
    item_id = db.exec(select(InquiryItem.id).where(InquiryItem.inquiry_id == inquiry_id)).one()
    assert "1 record" in found(client, "Question text")
    response = client.post(f"/inquiries/{inquiry_id}/items/{item_id}/edit", data={
        "number": "1", "text": "Wie wurden die Schnellboote übergeben?",
        "classification": "public", "action": "save"})
    assert response.status_code == 303
    assert "<mark>Schnellboote</mark>" in found(client, "Schnellboot")
    assert "No records found" in found(client, "Question text")


def test_a_deleted_inquiry_takes_its_items_and_answers_out_of_the_index(client, data_dir, db):
    inquiry_id = store_inquiry(database_in(data_dir), items=2)
    store_answer(database_in(data_dir), inquiry_id)
    assert "of 4 records" in found(client, "5546")  # the inquiry, its two questions, the answer
    response = client.post(f"/inquiries/{inquiry_id}/delete", data={})
    assert response.status_code == 303
    assert "No records found" in found(client, "5546")
    assert db.exec(select(SearchEntry).where(SearchEntry.inquiry_id == inquiry_id)).all() == []


def test_the_text_of_an_uploaded_answer_file_is_found(client, data_dir):
    inquiry_id = store_inquiry(database_in(data_dir), items=1)
    store_answer(database_in(data_dir), inquiry_id)
    store_attachment(data_dir, inquiry_id, filename="Antwort.pdf",
                     text="Die Lieferung der Minenräumgeräte erfolgte im Mai.")
    results = found(client, "Minenräumgeräte")
    assert "Answer file" in results and "Antwort.pdf" in results
    assert "<mark>Minenräumgeräte</mark>" in results


def test_deleting_a_programme_removes_its_notes_and_sources_from_the_index(engine_url):
    corpus = build_corpus(engine_url)
    with open_session(engine_url) as session:
        delete_programme(session, get_programme(session, corpus.ids["P2"]))  # as the app does
        session.commit()
        page = search(session, SearchQuery(text="night vision"))
        assert page.total == 0
        left = session.exec(select(SearchEntry).where(
            SearchEntry.programme_id == corpus.ids["P2"])).all()
        assert left == []


def test_rebuilding_the_index_gives_the_same_results(engine_url):
    corpus = build_corpus(engine_url)
    with open_session(engine_url) as session:
        set_reader_clearance(session, Classification.CONFIDENTIAL)
        before = [(h.kind, h.record_id) for h in search(session, SearchQuery(text="Mali")).hits]
        counts = rebuild_index(session)
        session.commit()
        after = [(h.kind, h.record_id) for h in search(session, SearchQuery(text="Mali")).hits]
    assert before == after and len(before) == 3
    assert counts["inquiry"] == 2 and counts["answer_item"] == 4 and corpus.ids


def _entry_rows(session, inquiry_id: int) -> dict[tuple[str, int], tuple[int, str]]:
    """(kind, record id) -> (entry row id, title) of every entry under an inquiry."""
    session.expire_all()
    return {(e.kind, e.record_id): (e.id, e.title) for e in session.exec(
        select(SearchEntry).where(SearchEntry.inquiry_id == inquiry_id))}


def test_entries_under_a_record_are_rebuilt_only_when_they_copy_what_changed(engine_url):
    corpus = build_corpus(engine_url)
    inquiry_id = corpus.ids["I1"]
    with open_session(engine_url) as session:
        before = _entry_rows(session, inquiry_id)
        inquiry = session.get(Inquiry, inquiry_id)
        inquiry.preamble = "Die Bundesregierung liefert Schnellboote."
        session.commit()
        after_preamble = _entry_rows(session, inquiry_id)
        assert "Schnellboote" in search(session, SearchQuery(text="Schnellboote")).hits[
            0].snippet_html
        # The questions and the answer copy nothing of the preamble: their entries stay put.
        assert {key: row for key, row in after_preamble.items() if key[0] != "inquiry"} == {
            key: row for key, row in before.items() if key[0] != "inquiry"}

        inquiry.reference = "Drucksache 20/9999"
        session.commit()
        after_reference = _entry_rows(session, inquiry_id)
        # Every entry under it carries the inquiry's reference in its title, so all are rebuilt.
        assert after_reference.keys() == before.keys()
        assert all("20/9999" in title for _, title in after_reference.values())
