"""Security headers on every response, and cross-site writes refused."""

import pytest

from tests.factories import programme_form, row_counts


class TestHeaders:
    def test_pages_carry_a_strict_policy(self, client):
        response = client.get("/programmes")
        policy = response.headers["content-security-policy"]
        assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "same-origin"
        assert response.headers["cache-control"] == "no-store"

    def test_pages_have_no_inline_scripts_or_styles(self, demo_client):
        for url in ("/programmes", "/programmes/1", "/programmes/1/edit", "/programmes/new"):
            html = demo_client.get(url).text
            assert "<script>" not in html and " style=" not in html and "<style" not in html
            assert " onclick=" not in html and "hx-on" not in html

    def test_error_pages_carry_the_headers_too(self, client):
        response = client.get("/nowhere")
        assert response.status_code == 404
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]

    def test_static_files_may_be_cached(self, client):
        response = client.get("/static/css/app.css")
        assert response.status_code == 200
        assert response.headers.get("cache-control") != "no-store"


class TestCrossSiteWrites:
    @pytest.mark.parametrize("headers", [
        {"Origin": "https://evil.example"},
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site", "Origin": "https://other.parliament.example"},
        {"Origin": "null"},
    ])
    def test_refused_and_nothing_saved(self, client, db, headers):
        response = client.post("/programmes", data=programme_form(), headers=headers)
        assert response.status_code == 403
        assert "not made" in response.text
        assert row_counts(db)["Programme"] == 0

    def test_same_origin_form_post_is_accepted(self, client, server, db):
        host = server.url.removeprefix("http://")
        response = client.post("/programmes", data=programme_form(),
                               headers={"Origin": server.url, "Sec-Fetch-Site": "same-origin",
                                        "Host": host})
        assert response.status_code == 303
        assert row_counts(db)["Programme"] == 1

    def test_cross_site_delete_is_refused(self, client, db):
        location = client.post("/programmes", data=programme_form()).headers["location"]
        response = client.post(f"{location}/delete", headers={"Origin": "https://evil.example"})
        assert response.status_code == 403
        assert row_counts(db)["Programme"] == 1
