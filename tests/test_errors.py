"""Error pages: friendly, and never a trace."""

from tests.conftest import LiveServer, _settings_for, http_client


def test_unknown_address_is_a_friendly_404(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "not found" in response.text and "<html" in response.text


def test_unexpected_error_is_a_500_page_without_trace(data_dir, empty_db):
    live = LiveServer(_settings_for(data_dir))

    @live.app.get("/boom")
    def boom():
        raise RuntimeError("secret internal detail /etc/passwd")

    with live, http_client(live.url) as http:
        response = http.get("/boom")
    assert response.status_code == 500
    assert "Something went wrong" in response.text
    assert "secret internal detail" not in response.text
    assert "Traceback" not in response.text and "RuntimeError" not in response.text
    # made outside the middleware, the error page still carries the security headers
    assert response.headers["cache-control"] == "no-store"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


def test_health_checks_the_database(client):
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_htmx_is_served_from_the_apps_static_files(client):
    page = client.get("/programmes").text
    import re
    src = re.search(r'<script src="(/static/vendor/htmx-[\d.]+\.min\.js)"', page).group(1)
    script = client.get(src)
    assert script.status_code == 200
    assert "htmx" in script.text[:5000]
