"""Sign-in, sessions, CSRF and roles, over real HTTP against the live server on a migrated file."""

import hashlib
import html
import re
import secrets
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import sqlalchemy as sa
from sqlmodel import select

from app.models import LoginAttempt, ProgrammeNote, Role, User, UserSession, utcnow
from tests.conftest import (
    ACCOUNTS, PASSWORD, LiveServer, _settings_for, http_client, sign_in,
)
from tests.factories import programme_form, row_counts, stored_programme

REFUSED = "The e-mail address or password is not correct."
THROTTLED = "Too many failed sign-ins"
SESSION = "oversight_session"
STAFF, MEMBER, ADMIN = ACCOUNTS["staff"][0], ACCOUNTS["member"][0], ACCOUNTS["admin"][0]


@pytest.fixture
def browser(server, open_clients):
    """browser() -> a fresh, signed-out client; browser("127.0.0.2") connects from that address."""
    def make(address: str | None = None, **kwargs) -> httpx.Client:
        transport = httpx.HTTPTransport(local_address=address) if address else None
        http = http_client(server.url, transport=transport, **kwargs)
        open_clients.append(http)
        return http
    return make


def login_token(http: httpx.Client) -> str:
    return re.search(r'name="login_token" value="([^"]+)"', http.get("/login").text).group(1)


def post_login(http, email, password=PASSWORD, next_url="/account", token=None) -> httpx.Response:
    token = login_token(http) if token is None else token
    return http.post("/login", data={"email": email, "password": password,
                                      "login_token": token, "next": next_url})


def set_cookies(response: httpx.Response, name: str) -> list[str]:
    return [c for c in response.headers.get_list("set-cookie") if c.startswith(f"{name}=")]


def clears_session_cookie(response: httpx.Response) -> bool:
    return any("max-age=0" in c.lower() for c in set_cookies(response, SESSION))


def page_error(response: httpx.Response) -> str:
    match = re.search(r'role="alert"[^>]*>.*?<p>(.*?)</p>', response.text, re.S)
    return html.unescape(match.group(1)) if match else ""


def field_error(response: httpx.Response, field: str) -> str:
    match = re.search(rf'id="{field}-error">(.*?)</p>', response.text, re.S)
    assert match, f"no error next to {field}"
    return html.unescape(re.sub(r"<[^>]+>", "", match.group(1))).replace("Error:", "").strip()


def login_redirect(response: httpx.Response) -> dict[str, list[str]]:
    """The query of a redirect to the sign-in page (fails if it goes anywhere else)."""
    location = response.headers.get("location") or response.headers.get("hx-redirect")
    assert urlsplit(location).path == "/login", location
    return parse_qs(urlsplit(location).query)


def user_row(db, email: str) -> User:
    db.expire_all()
    return db.exec(select(User).where(User.email == email)).one()


def sessions_of(db, email: str) -> list[UserSession]:
    db.expire_all()
    return list(db.exec(select(UserSession).where(UserSession.user_id == user_row(db, email).id)))


def age(db, statement) -> None:
    """Move stored timestamps into the past (or change a row) as time or an operator would."""
    db.exec(statement)
    db.commit()


def create_programme(server, client_for) -> int:
    response = client_for(server, "staff").post("/programmes", data=programme_form())
    assert response.status_code == 303
    return int(response.headers["location"].rsplit("/", 1)[1])


class TestWhatNeedsASession:
    def test_sign_in_page_is_public(self, anonymous):
        page = anonymous.get("/login")
        assert page.status_code == 200
        assert '<form method="post" action="/login"' in page.text

    def test_every_other_page_redirects_to_sign_in_with_next(self, anonymous):
        for path in ("/", "/programmes", "/programmes?country=MD", "/programmes/new",
                     "/programmes/1", "/account", "/admin/users", "/admin/audit"):
            response = anonymous.get(path)
            assert response.status_code == 303, path
            assert login_redirect(response) == {"next": [path]}

    def test_a_post_without_session_goes_to_sign_in_and_changes_nothing(self, anonymous, db):
        response = anonymous.post("/programmes", data=programme_form())
        assert response.status_code == 303
        assert login_redirect(response) == {"next": ["/"]}
        assert row_counts(db)["Programme"] == 0

    def test_htmx_requests_get_401_with_hx_redirect(self, anonymous):
        response = anonymous.get("/programmes", headers={"HX-Request": "true"})
        assert response.status_code == 401
        assert login_redirect(response) == {"next": ["/programmes"]}

    def test_health_and_stylesheet_need_no_session(self, anonymous):
        assert anonymous.get("/health").json() == {"status": "ok", "database": "ok"}
        css = anonymous.get("/static/css/app.css")
        assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")


class TestSignIn:
    def test_correct_password_redirects_to_next(self, browser):
        response = post_login(browser(), STAFF, next_url="/programmes?country=MD")
        assert response.status_code == 303
        assert response.headers["location"] == "/programmes?country=MD"

    def test_session_cookie_is_httponly_lax_and_not_secure_over_http(self, browser):
        (cookie,) = set_cookies(post_login(browser(), STAFF), SESSION)
        attributes = {part.strip().lower() for part in cookie.split(";")[1:]}
        assert {"httponly", "samesite=lax", "path=/"} <= attributes and "secure" not in attributes

    def test_cookie_holds_only_a_random_token_stored_as_its_hash(self, browser, db):
        http = browser()
        post_login(http, STAFF)
        token = http.cookies[SESSION]
        assert len(token) >= 40 and token != str(user_row(db, STAFF).id)
        assert STAFF not in token and "staff" not in token.lower()
        (stored,) = sessions_of(db, STAFF)
        assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest()
        assert token not in (stored.token_hash, stored.csrf_token)

    def test_signing_in_again_gives_a_new_session_and_ends_the_old_one(self, browser, db):
        http = sign_in(browser(), STAFF)
        first = http.cookies[SESSION]
        sign_in(http, STAFF)
        second = http.cookies[SESSION]
        assert second != first
        assert http.get("/account").status_code == 200
        replay = browser(cookies={SESSION: first}).get("/account")
        assert replay.status_code == 303 and login_redirect(replay)["reason"] == ["expired"]
        assert sorted(s.ended_at is None for s in sessions_of(db, STAFF)) == [False, True]


class TestRefusedSignIn:
    @pytest.mark.parametrize("email, password", [
        (STAFF, "not the right password"),
        ("nobody@test.example", "not the right password"),
        (MEMBER, PASSWORD),  # deactivated below
    ], ids=["wrong-password", "unknown-email", "deactivated"])
    def test_every_failure_looks_the_same(self, browser, db, email, password):
        age(db, sa.update(User).where(User.email == MEMBER).values(active=False))
        response = post_login(browser(), email, password)
        assert response.status_code == 401
        assert page_error(response) == REFUSED
        assert not set_cookies(response, SESSION)
        assert f'name="email" value="{email}"' in response.text
        assert password not in response.text
        assert db.exec(select(UserSession)).all() == []


class TestThrottling:
    def fail(self, http, email, times):
        for _ in range(times):
            assert post_login(http, email, "not the right password").status_code == 401

    def test_five_failures_block_even_the_right_password(self, browser):
        http = browser()
        self.fail(http, f" {STAFF.upper()} ", 5)  # the same account however it is typed
        response = post_login(http, STAFF)
        assert response.status_code == 401
        assert page_error(response).startswith(THROTTLED)
        assert not set_cookies(response, SESSION)

    def test_unknown_email_is_blocked_with_the_same_message(self, browser):
        http = browser()
        self.fail(http, STAFF, 5)
        self.fail(http, "ghost@test.example", 5)
        known = page_error(post_login(http, STAFF))
        unknown = page_error(post_login(http, "ghost@test.example"))
        assert known.startswith(THROTTLED) and unknown == known

    def test_other_accounts_are_not_blocked(self, browser):
        self.fail(browser(), STAFF, 5)
        assert post_login(browser(), MEMBER).status_code == 303
        assert post_login(browser("127.0.0.2"), ADMIN).status_code == 303

    def test_twenty_failures_from_one_address_block_it_for_every_email(self, browser):
        http = browser()
        for i in range(20):  # four per e-mail: no single account reaches its limit
            self.fail(http, f"guess{i % 5}@test.example", 1)
        response = post_login(http, MEMBER)
        assert response.status_code == 401 and page_error(response).startswith(THROTTLED)
        assert post_login(browser("127.0.0.2"), MEMBER).status_code == 303

    def test_block_lifts_when_failures_leave_the_window(self, browser, db):
        http = browser()
        self.fail(http, STAFF, 5)
        age(db, sa.update(LoginAttempt).values(at=utcnow() - timedelta(minutes=16)))
        assert post_login(http, STAFF).status_code == 303


class TestSignInFormProtection:
    def test_token_without_its_cookie_is_refused(self, browser):
        # a fresh client fetched no sign-in page, so it has no login cookie to match
        assert post_login(browser(), STAFF, token=secrets.token_urlsafe(32)).status_code == 400

    def test_missing_or_wrong_field_is_refused(self, browser, db):
        http = browser()
        login_token(http)
        missing = http.post("/login", data={"email": STAFF, "password": PASSWORD})
        wrong = post_login(http, STAFF, token="not-the-token")
        for response in (missing, wrong):
            assert response.status_code == 400
            assert "The sign-in form had expired" in page_error(response)
            assert not set_cookies(response, SESSION)
        assert sessions_of(db, STAFF) == []

    @pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x",
                                        "/\\evil.example", "evil.example"])
    def test_next_to_another_host_is_ignored(self, browser, target):
        response = post_login(browser(), STAFF, next_url=target)
        assert response.status_code == 303 and response.headers["location"] == "/"
        assert 'name="next" value="/"' in browser().get("/login", params={"next": target}).text


class TestSessionEnd:
    def test_forged_cookie_redirects_and_clears_it(self, browser):
        response = browser(cookies={SESSION: secrets.token_urlsafe(32)}).get("/programmes")
        assert response.status_code == 303
        assert login_redirect(response) == {"next": ["/programmes"], "reason": ["expired"]}
        assert clears_session_cookie(response)
        notice = browser().get(response.headers["location"]).text
        assert "Your session has ended. Sign in again to continue." in notice

    @pytest.mark.parametrize("column, ago", [
        (UserSession.last_seen_at, timedelta(minutes=241)),  # idle longer than 240 minutes
        (UserSession.created_at, timedelta(hours=12, minutes=1)),  # older than 12 hours
    ], ids=["idle", "too-old"])
    def test_expired_session_redirects_and_clears_cookie(self, client, db, column, ago):
        age(db, sa.update(UserSession).values({column: utcnow() - ago}))
        response = client.get("/programmes")
        assert response.status_code == 303
        assert login_redirect(response) == {"next": ["/programmes"], "reason": ["expired"]}
        assert clears_session_cookie(response)

    def test_expired_session_stays_ended_when_limits_are_raised(self, client, db, data_dir):
        token = client.cookies[SESSION]
        age(db, sa.update(UserSession).values(last_seen_at=utcnow() - timedelta(minutes=241)))
        assert client.get("/programmes").status_code == 303  # "Your session has ended"
        settings = _settings_for(data_dir).model_copy(update={"session_idle_minutes": 600})
        with LiveServer(settings) as later, http_client(later.url) as http:
            http.cookies.set(SESSION, token)
            assert http.get("/account").status_code == 303
        assert sessions_of(db, STAFF)[0].ended_at is not None

    def test_session_used_within_the_idle_limit_stays_and_is_refreshed(self, client, db):
        age(db, sa.update(UserSession).values(last_seen_at=utcnow() - timedelta(minutes=230)))
        assert client.get("/programmes").status_code == 200
        (stored,) = sessions_of(db, STAFF)
        assert utcnow() - stored.last_seen_at < timedelta(minutes=1)

    def test_logout_ends_the_session_at_once(self, client, browser, db):
        token = client.cookies[SESSION]
        response = client.post("/logout")
        assert response.status_code == 303
        assert response.headers["location"] == "/login?reason=signed-out"
        assert clears_session_cookie(response)
        replay = browser(cookies={SESSION: token}).get("/account")
        assert replay.status_code == 303 and login_redirect(replay)["reason"] == ["expired"]
        assert all(s.ended_at is not None for s in sessions_of(db, STAFF))

    def test_logout_without_csrf_token_is_refused(self, client):
        del client.headers["X-CSRF-Token"]
        assert client.post("/logout").status_code == 403
        assert client.get("/account").status_code == 200


class TestAccountChangesEndSessions:
    def test_deactivated_user_is_signed_out_at_once(self, server, client_for, db):
        admin, member = client_for(server, "admin"), client_for(server, "member")
        assert member.get("/programmes").status_code == 200
        response = admin.post(f"/admin/users/{user_row(db, MEMBER).id}/deactivate")
        assert response.status_code == 303
        assert not user_row(db, MEMBER).active
        assert login_redirect(member.get("/programmes"))["reason"] == ["expired"]
        assert all(s.ended_at is not None for s in sessions_of(db, MEMBER))

    def change(self, http, current=PASSWORD, new="a brand new pass phrase", repeat=None):
        return http.post("/account/password", data={
            "current_password": current, "new_password": new,
            "repeat_password": new if repeat is None else repeat})

    def test_password_change_ends_every_session(self, server, client_for, browser, db):
        here, elsewhere = client_for(server, "staff"), client_for(server, "staff")
        response = self.change(here)
        assert response.status_code == 303
        assert login_redirect(response) == {"reason": ["password-changed"]}
        for http in (here, elsewhere):
            assert http.get("/account").status_code == 303
        assert post_login(browser(), STAFF).status_code == 401
        assert post_login(browser(), STAFF, "a brand new pass phrase").status_code == 303

    @pytest.mark.parametrize("kwargs, field, message", [
        ({"current": "not my password"}, "current_password",
         "The current password is not correct."),
        ({"repeat": "a different phrase!"}, "repeat_password",
         "The two new passwords are not the same."),
        ({"new": "short"}, "new_password", "Use at least 12 characters."),
    ], ids=["wrong-current", "mismatch", "too-short"])
    def test_refused_change_keeps_password_and_session(self, client, db, kwargs, field, message):
        before = user_row(db, STAFF).password_hash
        response = self.change(client, **kwargs)
        assert response.status_code == 422
        assert field_error(response, field) == message
        assert user_row(db, STAFF).password_hash == before
        assert client.get("/account").status_code == 200


class TestCsrfOnChanges:
    @pytest.fixture
    def http(self, browser):
        http = sign_in(browser(), STAFF)
        self.token = http.headers.pop("X-CSRF-Token")
        return http

    @pytest.mark.parametrize("how", ["none", "wrong-header", "wrong-field"])
    def test_post_without_the_right_token_is_refused(self, http, db, how):
        form, headers = programme_form(), {}
        if how == "wrong-header":
            headers["X-CSRF-Token"] = secrets.token_urlsafe(32)
        elif how == "wrong-field":
            form["csrf_token"] = secrets.token_urlsafe(32)
        response = http.post("/programmes", data=form, headers=headers)
        assert response.status_code == 403
        assert "did not come from this site" in html.unescape(response.text)
        assert row_counts(db)["Programme"] == 0

    def test_token_as_form_field_works(self, http, db):
        response = http.post("/programmes", data=programme_form(csrf_token=self.token))
        assert response.status_code == 303
        assert stored_programme(db, "EPF-TEST-2021-1") is not None

    def test_token_as_header_works(self, http, db):
        response = http.post("/programmes", data=programme_form(),
                             headers={"X-CSRF-Token": self.token})
        assert response.status_code == 303
        assert stored_programme(db, "EPF-TEST-2021-1") is not None


class TestMembersOnlyRead:
    def test_programme_page_offers_no_changes(self, server, client_for):
        pid = create_programme(server, client_for)
        page = client_for(server, "member").get(f"/programmes/{pid}")
        assert page.status_code == 200
        for link in (f"/programmes/{pid}/edit", f"/programmes/{pid}/delete",
                     f"/programmes/{pid}/notes/new"):
            assert link not in page.text
        assert "/programmes/new" not in client_for(server, "member").get("/programmes").text

    def test_writes_are_refused_and_change_nothing(self, server, client_for, db):
        pid = create_programme(server, client_for)
        member = client_for(server, "member")
        before = row_counts(db)
        attempts = {
            "/programmes": programme_form(reference_code="EPF-TEST-2021-9"),
            f"/programmes/{pid}/edit": programme_form(title="Changed by a member", version="1"),
            f"/programmes/{pid}/delete": {},
            f"/programmes/{pid}/notes": {"title": "Member note", "body": "x",
                                         "classification": "public"},
        }
        for path, form in attempts.items():
            response = member.post(path, data=form)
            assert response.status_code == 403, path
            assert "not change anything" in response.text
        assert member.get("/programmes/new").status_code == 403
        assert row_counts(db) == before
        assert stored_programme(db, "EPF-TEST-2021-1").title == programme_form()["title"]
        assert db.exec(select(ProgrammeNote)).all() == []


class TestAdministration:
    def new_account(self, admin, **overrides):
        form = {"email": "new.person@test.example", "name": "New Person", "role": "staff",
                "clearance": "restricted", **overrides}
        return admin.post("/admin/users", data=form)

    def test_admin_sees_every_account_and_others_may_not(self, server, client_for):
        page = client_for(server, "admin").get("/admin/users")
        assert page.status_code == 200
        for email, _, _ in ACCOUNTS.values():
            assert email in page.text
        assert client_for(server, "staff").get("/admin/users").status_code == 403

    def test_created_account_shows_its_password_once_and_it_signs_in(self, server, client_for,
                                                                      browser, db):
        admin = client_for(server, "admin")
        response = self.new_account(admin)
        assert response.status_code == 200 and "Account created" in response.text
        password = re.search(r"<code>([^<]+)</code>", response.text).group(1)
        assert password not in admin.get("/admin/users").text
        stored = user_row(db, "new.person@test.example")
        assert stored.password_hash.startswith("$argon2") and password not in stored.password_hash
        assert post_login(browser(), "new.person@test.example", password).status_code == 303

    def test_duplicate_email_is_refused_next_to_the_field(self, server, client_for, db):
        response = self.new_account(client_for(server, "admin"), email="STAFF@test.example")
        assert response.status_code == 422
        assert field_error(response, "email") == "Another account already uses this e-mail address."
        assert len(db.exec(select(User)).all()) == len(ACCOUNTS)

    def test_admin_cannot_deactivate_themselves(self, server, client_for, db):
        admin = client_for(server, "admin")
        response = admin.post(f"/admin/users/{user_row(db, ADMIN).id}/deactivate")
        assert response.status_code == 409
        assert "You cannot deactivate your own account." in response.text
        assert user_row(db, ADMIN).active
        assert admin.get("/admin/users").status_code == 200

    def test_admins_cannot_change_their_own_account(self, server, client_for, db):
        admin = client_for(server, "admin")
        own = user_row(db, ADMIN)
        assert admin.get(f"/admin/users/{own.id}/edit").status_code == 403
        response = admin.post(f"/admin/users/{own.id}/edit", data={
            "email": ADMIN, "name": "admin", "role": "staff", "clearance": "confidential",
            "version": str(own.version)})
        assert response.status_code == 403
        assert admin.post(f"/admin/users/{own.id}/password").status_code == 403
        assert user_row(db, ADMIN).role == Role.ADMIN

    def test_another_admin_can_be_demoted(self, server, client_for, db):
        admin = client_for(server, "admin")
        assert self.new_account(admin, role="admin", clearance="confidential").status_code == 200
        second = db.exec(select(User).where(User.role == Role.ADMIN, User.email != ADMIN)).one()
        response = admin.post(f"/admin/users/{second.id}/edit", data={
            "email": second.email, "name": second.name, "role": "staff",
            "clearance": "confidential", "version": str(second.version)})
        assert response.status_code == 303
        assert user_row(db, second.email).role == Role.STAFF

    def test_no_admin_grants_more_than_their_own_clearance(self, server, client_for, db,
                                                           open_clients):
        from app.accounts.service import create_user
        from app.models import Classification
        from tests.conftest import system_session

        engine, session = system_session(server.settings.resolved_database_url)
        with session:
            create_user(session, email="admin.public@test.example", name="Public admin",
                        role=Role.ADMIN, clearance=Classification.PUBLIC, password=PASSWORD)
            session.commit()
        engine.dispose()
        weak = sign_in(http_client(server.url), "admin.public@test.example")
        open_clients.append(weak)
        refused = self.new_account(weak, clearance="restricted")
        assert refused.status_code == 422
        assert "at most your own clearance" in refused.text
        cleared = user_row(db, ACCOUNTS["member_restricted"][0])
        assert weak.get(f"/admin/users/{cleared.id}/edit").status_code == 403
        assert weak.post(f"/admin/users/{cleared.id}/password").status_code == 403
        assert weak.post(f"/admin/users/{cleared.id}/deactivate").status_code == 403
        assert user_row(db, cleared.email).active

