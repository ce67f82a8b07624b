"""A personal API token's life over real HTTP: made on the account page and shown once, used,
revoked by its owner or an administrator; and `oversight token ...` as administrators run it."""

import hashlib
import re

from sqlmodel import select

from app.models import ApiToken, AuditEvent, User
from tests.conftest import ACCOUNTS
from tests.forms import as_form_data, form_fields, with_values
from tests.test_cli_users import run

STAFF_EMAIL = ACCOUNTS["staff"][0]
SECRET = re.compile(r'id="new-token" value="(od_[A-Za-z0-9_-]{43})"')


def make_token(http, label: str) -> str:
    """Create a token on the account page, as a browser submits the form; its secret."""
    fields = with_values(form_fields(http.get("/account").text, "/account/tokens"),
                         token_name=label)
    page = http.post("/account/tokens", data=as_form_data(fields))
    assert page.status_code == 200
    return SECRET.search(page.text).group(1)


def revoke_button(page: str) -> str:
    return re.search(r'action="(/account/tokens/[0-9]+/revoke)"', page).group(1)


def test_token_made_on_the_account_page_is_shown_once_and_stored_only_hashed(
        server, client_for, api_for, db):
    http = client_for(server, "staff")
    secret = make_token(http, "Weekly export")
    later = http.get("/account").text
    assert secret not in later and "Weekly export" in later
    stored = db.exec(select(ApiToken)).one()
    assert stored.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in repr(stored.model_dump())
    # The audit trail records the token, never its hash.
    event = db.exec(select(AuditEvent).where(AuditEvent.record_type == "api_token")).one()
    assert event.changes["token_hash"]["after"] == "(hidden)"

    api = api_for(server, secret)
    assert api.get("/api/v1/programmes").status_code == 200
    db.expire_all()
    assert db.get(ApiToken, stored.id).last_used_at is not None
    assert "never" not in http.get("/account").text.split("Weekly export")[1][:200]


def test_a_revoked_token_stops_working_at_once(server, client_for, api_for):
    http = client_for(server, "member")
    secret = make_token(http, "Reading script")
    api = api_for(server, secret)
    assert api.get("/api/v1/inquiries").status_code == 200
    response = http.post(revoke_button(http.get("/account").text))
    assert response.status_code == 303
    page = http.get(response.headers["location"]).text
    assert "The token was revoked" in page and "You have no API tokens." in page
    refused = api.get("/api/v1/inquiries")
    assert refused.status_code == 401 and refused.headers["www-authenticate"] == "Bearer"


def test_a_label_is_needed(server, client_for, db):
    http = client_for(server, "staff")
    fields = with_values(form_fields(http.get("/account").text, "/account/tokens"),
                         token_name="  ")
    page = http.post("/account/tokens", data=as_form_data(fields))
    assert page.status_code == 422
    assert "The label is required." in page.text
    assert db.exec(select(ApiToken)).all() == []


def test_nobody_revokes_another_persons_token_on_their_own_page(server, client_for, api_for):
    owner = client_for(server, "staff")
    secret = make_token(owner, "Mine")
    button = revoke_button(owner.get("/account").text)
    assert client_for(server, "staff_public").post(button).status_code == 404
    assert api_for(server, secret).get("/api/v1/programmes").status_code == 200


def test_administrators_review_and_revoke_every_accounts_tokens(server, client_for, api_for):
    secret = make_token(client_for(server, "member_confidential"), "MP's reader")
    admin = client_for(server, "admin")
    page = admin.get("/admin/tokens").text
    assert "MP&#39;s reader" in page and ACCOUNTS["member_confidential"][0] in page
    button = re.search(r'action="(/admin/tokens/[0-9]+/revoke)"', page).group(1)
    done = admin.post(button)
    assert done.status_code == 303
    assert "The token was revoked" in admin.get(done.headers["location"]).text
    assert api_for(server, secret).get("/api/v1/programmes").status_code == 401


def test_a_token_acts_with_its_accounts_current_role_and_clearance(server, client_for,
                                                                   api_for, db):
    secret = make_token(client_for(server, "staff"), "Clerk's script")
    api = api_for(server, secret)
    assert api.post("/api/v1/programmes", json={}).status_code == 422  # may write
    user = db.exec(select(User).where(User.email == STAFF_EMAIL)).one()
    user.role = "member"
    db.add(user)
    db.commit()
    assert api.post("/api/v1/programmes", json={}).status_code == 403
    user.active = False
    db.add(user)
    db.commit()
    assert api.get("/api/v1/programmes").status_code == 401


def test_token_create_prints_the_token_last_and_it_works(server, data_dir, api_for, db):
    made = run("token", "create", "--email", STAFF_EMAIL, "--name", "Nightly sync",
               data_dir=data_dir)
    assert made.returncode == 0, made.stderr
    *about, secret = made.stdout.strip().splitlines()
    assert STAFF_EMAIL in about[0] and "Nightly sync" in about[0]
    assert secret.startswith("od_")
    assert api_for(server, secret).get("/api/v1/programmes").status_code == 200

    listed = run("token", "list", "--email", STAFF_EMAIL, data_dir=data_dir)
    assert listed.returncode == 0 and "Nightly sync" in listed.stdout
    assert secret not in listed.stdout
    token_id = db.exec(select(ApiToken.id)).one()
    revoked = run("token", "revoke", str(token_id), data_dir=data_dir)
    assert revoked.returncode == 0, revoked.stderr
    assert api_for(server, secret).get("/api/v1/programmes").status_code == 401


def test_token_commands_refuse_unknown_and_deactivated_accounts(empty_db, data_dir, db):
    unknown = run("token", "create", "--email", "nobody@test.example", data_dir=data_dir)
    assert unknown.returncode == 1
    assert "no account" in unknown.stderr and unknown.stdout == ""
    assert run("user", "deactivate", ACCOUNTS["member"][0], data_dir=data_dir).returncode == 0
    gone = run("token", "create", "--email", ACCOUNTS["member"][0], data_dir=data_dir)
    assert gone.returncode == 1 and "deactivated" in gone.stderr
    assert run("token", "revoke", "4242", data_dir=data_dir).returncode == 1
    assert run("token", "create", data_dir=data_dir).returncode == 2  # no --email
    assert db.exec(select(ApiToken)).all() == []
