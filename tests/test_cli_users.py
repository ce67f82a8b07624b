"""`oversight user ...` as administrators run it: a real process on a migrated file, real exit
codes, and the web app on the same file to prove what the command did."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from argon2.exceptions import VerificationError
from sqlmodel import select

from app.models import Classification, Role, User, UserSession
from tests.conftest import ACCOUNTS, PASSWORD, command_env, http_client

OVERSIGHT = str(Path(sys.executable).parent / "oversight")
NEW_PASSWORD = "a long and new pass phrase"
STAFF, MEMBER = ACCOUNTS["staff"][0], ACCOUNTS["member"][0]


def run(*args: str, data_dir: Path, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([OVERSIGHT, *args], env=command_env(data_dir), input=stdin,
                          capture_output=True, text=True, timeout=120)


def add(data_dir: Path, email="New.Person@Test.example", password=NEW_PASSWORD,
        role="staff", *extra: str) -> subprocess.CompletedProcess:
    return run("user", "add", "--email", email, "--name", "New  Person", "--role", role,
               *extra, data_dir=data_dir, stdin=password + "\n")


def account(db, email: str) -> User | None:
    db.expire_all()
    return db.exec(select(User).where(User.email == email)).first()


def account_count(db) -> int:
    db.expire_all()
    return len(db.exec(select(User)).all())


def verifies(password_hash: str, password: str) -> bool:
    try:
        return PasswordHasher().verify(password_hash, password)
    except VerificationError:
        return False


def sign_in_status(server, email: str, password: str) -> int:
    """What the sign-in form answers: 303 signed in, 401 refused."""
    with http_client(server.url) as http:
        page = http.get("/login").text
        token = re.search(r'name="login_token" value="([^"]+)"', page).group(1)
        return http.post("/login", data={"email": email, "password": password,
                                          "login_token": token}).status_code


class TestUserAdd:
    def test_added_account_is_stored_hashed_and_can_sign_in(self, server, data_dir, db):
        result = add(data_dir, "New.Person@Test.example", NEW_PASSWORD, "staff",
                     "--clearance", "restricted")
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == ("Created staff account new.person@test.example "
                                         "(clearance restricted).")
        user = account(db, "new.person@test.example")
        assert (user.name, user.role, user.clearance, user.active) == (
            "New Person", Role.STAFF, Classification.RESTRICTED, True)
        assert user.password_hash.startswith("$argon2")
        assert NEW_PASSWORD not in user.password_hash and verifies(user.password_hash,
                                                                   NEW_PASSWORD)
        assert NEW_PASSWORD not in result.stdout + result.stderr
        assert sign_in_status(server, "new.person@test.example", NEW_PASSWORD) == 303

    def test_clearance_defaults_to_public(self, empty_db, data_dir, db):
        assert add(data_dir, "reader@test.example", NEW_PASSWORD, "member").returncode == 0
        assert account(db, "reader@test.example").clearance == Classification.PUBLIC

    def test_duplicate_email_is_refused(self, empty_db, data_dir, db):
        before = account_count(db)
        result = add(data_dir, STAFF.upper())
        assert result.returncode == 1
        assert "Another account already uses this e-mail address." in result.stderr
        assert account_count(db) == before

    def test_short_password_is_refused(self, empty_db, data_dir, db):
        result = add(data_dir, password="too short")
        assert result.returncode == 1
        assert "Use at least 12 characters." in result.stderr
        assert account(db, "new.person@test.example") is None

    @pytest.mark.parametrize("option, value", [("--role", "superuser"),
                                               ("--clearance", "top-secret")])
    def test_invalid_choice_is_a_usage_error(self, empty_db, data_dir, db, option, value):
        args = {"--role": "staff", "--clearance": "public", option: value}
        result = run("user", "add", "--email", "x@test.example", "--name", "X",
                     *[item for pair in args.items() for item in pair],
                     data_dir=data_dir, stdin=NEW_PASSWORD + "\n")
        assert result.returncode == 2
        assert option in result.stderr
        assert account(db, "x@test.example") is None


class TestUserList:
    def test_lists_every_account_with_role_clearance_and_status(self, empty_db, data_dir, db):
        assert run("user", "deactivate", MEMBER, data_dir=data_dir).returncode == 0
        result = run("user", "list", data_dir=data_dir)
        assert result.returncode == 0, result.stderr
        rows = {line.split()[0]: line.split() for line in result.stdout.splitlines()[1:]}
        assert set(rows) == {email for email, _, _ in ACCOUNTS.values()}
        assert rows[STAFF][-3:] == ["staff", "confidential", "active"]
        assert rows[MEMBER][-3:] == ["member", "public", "deactivated"]


class TestUserDeactivate:
    def test_deactivated_account_is_signed_out_and_cannot_sign_in(self, server, data_dir, db,
                                                                  client_for):
        member = client_for(server, "member")
        result = run("user", "deactivate", MEMBER.upper(), data_dir=data_dir)
        assert result.returncode == 0, result.stderr
        assert not account(db, MEMBER).active
        assert member.get("/programmes").status_code == 303
        assert sign_in_status(server, MEMBER, PASSWORD) == 401

    def test_unknown_email_is_refused(self, empty_db, data_dir):
        result = run("user", "deactivate", "nobody@test.example", data_dir=data_dir)
        assert result.returncode == 1
        assert "no account with the e-mail address nobody@test.example" in result.stderr


class TestUserPassword:
    def test_new_password_replaces_the_old_and_ends_sessions(self, server, data_dir, db,
                                                             client_for):
        staff = client_for(server, "staff")
        result = run("user", "password", STAFF, data_dir=data_dir, stdin=NEW_PASSWORD + "\n")
        assert result.returncode == 0, result.stderr
        stored = account(db, STAFF).password_hash
        assert verifies(stored, NEW_PASSWORD) and not verifies(stored, PASSWORD)
        assert staff.get("/account").status_code == 303
        assert all(s.ended_at is not None
                   for s in db.exec(select(UserSession).where(UserSession.user_id ==
                                                              account(db, STAFF).id)))
        assert sign_in_status(server, STAFF, PASSWORD) == 401
        assert sign_in_status(server, STAFF, NEW_PASSWORD) == 303

    @pytest.mark.parametrize("email, password, message", [
        ("nobody@test.example", NEW_PASSWORD, "no account with the e-mail address"),
        (STAFF, "too short", "Use at least 12 characters."),
    ], ids=["unknown-email", "too-short"])
    def test_refused_change_leaves_the_password(self, empty_db, data_dir, db, email, password,
                                                message):
        before = account(db, STAFF).password_hash
        result = run("user", "password", email, data_dir=data_dir, stdin=password + "\n")
        assert result.returncode == 1
        assert message in result.stderr
        assert account(db, STAFF).password_hash == before
