"""The programme page and its funding chart."""

import xml.etree.ElementTree as ET

from sqlmodel import select

from app.models import FundingLine, Programme
from app.programmes.chart import funding_chart_svg

SVG = "{http://www.w3.org/2000/svg}"


def programme_with_several_years(db) -> Programme:
    years = {}
    for line in db.exec(select(FundingLine)):
        years.setdefault(line.programme_id, set()).add(line.year)
    programme_id = max(years, key=lambda pid: len(years[pid]))
    return db.get(Programme, programme_id)


class TestProgrammePage:
    def test_shows_key_facts_funding_and_sources(self, demo_client, db):
        programme = programme_with_several_years(db)
        page = demo_client.get(f"/programmes/{programme.id}")
        assert page.status_code == 200
        html = page.text
        assert programme.title.replace("'", "&#39;") in html
        for heading in ("Key facts", "Funding", "Sources"):
            assert f">{heading}</h2>" in html
        assert programme.legal_basis in html
        assert f'src="/programmes/{programme.id}/funding.svg?currency=EUR"' in html
        assert "alt=" in html and "Funding lines</caption>" in html

    def test_missing_programme_is_a_friendly_404(self, demo_client):
        response = demo_client.get("/programmes/99999")
        assert response.status_code == 404
        assert "Programme not found" in response.text
        assert 'href="/programmes"' in response.text

    def test_non_numeric_id_is_404_page(self, demo_client):
        response = demo_client.get("/programmes/not-a-number")
        assert response.status_code == 404
        assert "<html" in response.text and "Traceback" not in response.text


class TestChart:
    def test_chart_route_serves_svg_with_one_bar_pair_per_year(self, demo_client, db):
        programme = programme_with_several_years(db)
        years = sorted({l.year for l in db.exec(
            select(FundingLine).where(FundingLine.programme_id == programme.id,
                                      FundingLine.currency == "EUR"))})
        response = demo_client.get(f"/programmes/{programme.id}/funding.svg?currency=EUR")
        assert response.status_code == 200
        assert response.headers["content-type"] == "image/svg+xml"
        root = ET.fromstring(response.content)
        labels = [t.text for t in root.iter(f"{SVG}text") if t.text]
        for year in years:
            assert str(year) in labels
        assert not list(root.iter(f"{SVG}script"))

    def test_chart_is_plain_svg_without_scripts(self):
        svg = funding_chart_svg([(2022, 135_000_000_000, 0), (2023, 0, 5_000_000)], "EUR")
        root = ET.fromstring(svg)
        assert root.tag == f"{SVG}svg"
        assert b"<script" not in svg
        texts = [t.text for t in root.iter(f"{SVG}text") if t.text]
        assert "Funding by year (EUR)" in texts
        assert "2022" in texts and "2023" in texts

    def test_odd_currency_parameter_is_harmless(self, demo_client, db):
        programme = programme_with_several_years(db)
        response = demo_client.get(f"/programmes/{programme.id}/funding.svg",
                                   params={"currency": "<script>"})
        assert response.status_code == 404
        assert b"<script>" not in response.content
