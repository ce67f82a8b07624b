"""Rendering reads nothing outside the app: not a local file, not the network, whatever a user
typed into an answer or pasted as HTML; and hostile or unusual text still makes a document."""

import select
import socket
from collections.abc import Iterator

import pytest
from sqlmodel import select as query

from app import clock
from app.models import AnswerItem, InquiryItem, Programme
from app.reports.fetcher import RefusedURL, ReportAssetFetcher
from app.reports.render import render_part
from tests.reports.pdf_world import (
    PUBLIC, _answer, _inquiry, brief_at, every_byte, pages_text,
)


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    """A server socket on loopback that nothing should ever connect to."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
        server.bind(("127.0.0.1", 0))
        server.listen(8)
        server.setblocking(False)
        yield server


def connections(server: socket.socket) -> int:
    count = 0
    while select.select([server], [], [], 0.2)[0]:
        connection, _ = server.accept()
        connection.close()
        count += 1
    return count


def hostile(port: int) -> str:
    return (f'<img src="file:///etc/passwd"> <link rel="stylesheet" '
            f'href="http://127.0.0.1:{port}/style.css">')


class TestFetcher:
    @pytest.mark.parametrize("url", [
        "file:///etc/passwd", "http://127.0.0.1:9/x.css", "https://example.org/x.png",
        "data:image/svg+xml;base64,PHN2Zy8+", "report:../app/config.py", "report:/etc/passwd",
        "report:nothing.css", "report:brief.html", "ftp://127.0.0.1/x", "/etc/passwd",
    ])
    def test_refuses_every_address_but_the_apps_own_assets(self, url):
        fetcher = ReportAssetFetcher()
        with pytest.raises(RefusedURL):
            fetcher.fetch(url)
        assert fetcher.refused == [url]

    def test_serves_the_print_stylesheet_and_the_charts_drawn_for_the_document(self):
        fetcher = ReportAssetFetcher({"money-EUR.svg": b"<svg/>"})
        assert fetcher.fetch("report:print.css").content_type == "text/css"
        assert fetcher.fetch("report:money-EUR.svg").read() == b"<svg/>"
        assert fetcher.refused == []

    def test_hostile_html_renders_without_reading_a_file_or_opening_a_connection(
            self, listener):
        port = listener.getsockname()[1]
        html = f"""<!doctype html><html lang="en"><head><title>t</title>
        <link rel="stylesheet" href="http://127.0.0.1:{port}/linked.css">
        <style>@import url("http://127.0.0.1:{port}/imported.css");
        body {{ background: url("http://127.0.0.1:{port}/background.png") }}
        @font-face {{ font-family: x; src: url("file:///etc/passwd") }}</style></head>
        <body><p>Hostile</p><img src="file:///etc/passwd" alt="a">
        <img src="data:image/png;base64,iVBORw0KGgo=" alt="b">
        <img src="report:../app/config.py" alt="c"><object data="file:///etc/hostname"></object>
        <iframe src="http://127.0.0.1:{port}/frame"></iframe></body></html>"""
        part = render_part(html)
        assert part.page_count == 1 and "Hostile" in pages_text(part.pdf)[0]
        assert connections(listener) == 0
        assert {f"http://127.0.0.1:{port}/linked.css", f"http://127.0.0.1:{port}/imported.css",
                "file:///etc/passwd", "report:../app/config.py"} <= set(part.refused_urls)
        assert b"root:" not in every_byte(part.pdf)  # no byte of /etc/passwd in any stream


class TestTypedContent:
    def test_markup_typed_into_questions_and_answers_is_printed_as_text(self, pdf_world,
                                                                         listener):
        session, world, _ = pdf_world
        port = listener.getsockname()[1]
        inquiry = _inquiry(session, world.empty, "Drucksache 21/6666", "Hostile text",
                           clock.today(), [hostile(port)])
        _answer(session, inquiry, "Drucksache 21/6667", clock.today(),
                [(hostile(port) + " ![x](file:///etc/passwd)", None, None)])
        programme = session.get(Programme, world.empty)
        programme.summary = f'<img src="file:///etc/passwd"> ![p](http://127.0.0.1:{port}/p.png)'
        session.flush()
        try:
            produced = brief_at(session, world.empty, PUBLIC)
        finally:
            session.rollback()
        text = " ".join(pages_text(produced.pdf))
        assert connections(listener) == 0
        assert '<img src="file:///etc/passwd"> <link rel="stylesheet"' in text
        assert "root:" not in text and b"root:" not in every_byte(produced.pdf)

    def test_two_hundred_pages_of_pasted_answer_make_a_short_brief(self, pdf_world):
        session, world, _ = pdf_world
        inquiry = _inquiry(session, world.empty, "Drucksache 21/7777", "Long answer",
                           clock.today(), ["Tell us everything?"])
        paragraph = "The Federal Government refers to its previous answers. " * 60 + "\n\n"
        _answer(session, inquiry, "Drucksache 21/7778", clock.today(),
                [(paragraph * 200, None, None)])
        try:
            produced = brief_at(session, world.empty, PUBLIC)
            stored = session.exec(query(AnswerItem).join(
                InquiryItem, InquiryItem.id == AnswerItem.item_id).where(
                InquiryItem.inquiry_id == inquiry.id)).one()
            assert len(stored.text) > 600_000
        finally:
            session.rollback()
        text = " ".join(pages_text(produced.pdf))
        assert produced.page_count <= 4
        assert "[shortened; the full answer is in Drucksache 21/7778]" in text

    def test_right_to_left_and_non_latin_titles(self, pdf_world):
        session, world, _ = pdf_world
        programme = session.get(Programme, world.empty)
        programme.title = "دعم القوات المسلحة — Підтримка збройних сил — Ενίσχυση"
        programme.recipient_units = "وحدة التدريب"
        session.flush()
        try:
            produced = brief_at(session, world.empty, PUBLIC)
        finally:
            session.rollback()
        text = " ".join(pages_text(produced.pdf))
        assert "Підтримка збройних сил" in text and "Ενίσχυση" in text
        assert any("\u0600" <= c <= "\u06ff" or "\ufe70" <= c <= "\ufeff" for c in text)
        assert "Підтримка збройних сил" in pages_text(produced.pdf)[0]



def test_a_table_that_runs_onto_more_pages_repeats_its_header_on_each(pdf_world):
    session, world, _ = pdf_world
    _inquiry(session, world.empty, "Drucksache 21/8888", "Many questions", clock.today(),
             [f"Long question number {n} about the delivery of equipment to the units "
              f"trained under the measure, and about its end use afterwards?"
              for n in range(1, 61)])
    try:
        pages = pages_text(brief_at(session, world.empty, PUBLIC).pdf)
    finally:
        session.rollback()
    with_rows = [n for n, text in enumerate(pages, start=1) if "Long question number" in text]
    assert len(with_rows) >= 3
    for number in with_rows:
        assert "NO. QUESTION ANSWER ASSESSMENT" in pages[number - 1], f"page {number}"
