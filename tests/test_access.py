"""Every route, for every role and clearance: the answer each one gets.

The table below is the access policy. A route that is not in it fails
`test_every_route_has_a_decided_access`, so nobody adds a route without deciding who may use it.
"""

from collections.abc import Iterator

import pytest
from fastapi.routing import APIRoute
from sqlmodel import select

from app.accounts.service import create_user
from app.api.tokens import create_token
from app.inquiries import service as inquiries
from app.inquiries.forms import InquiryInput, ItemInput
from app.inquiries.items import add_item, next_number
from app.inquiries.paste import PastedItem
from app.main import create_app
from app.hearings import service as hearings
from app.hearings.forms import HearingInput
from app.models import (
    Assessment, Classification, JobState, ProgrammeNote, Role, SafeguardCriterion,
)
from app.programmes import service as programmes
from app.programmes.schemas import ProgrammeInput
from tests.conftest import ACCOUNTS, LiveServer, _settings_for, database_in, system_session
from tests.imports.helpers import store_import_run
from tests.inquiries.answer_world import store_answer, store_attachment, store_inquiry
from tests.reports.factories import store_document, store_job

ROLES = ["anonymous", "member", "member_restricted", "member_confidential", "staff_public",
         "staff", "admin"]
SIGNED_IN = ROLES[1:]


def expect(anonymous=303, members=None, staff=None, admin=None, everyone=None) -> dict:
    """Expected status per role; members/staff/admin default to `everyone`."""
    members = members if members is not None else everyone
    staff = staff if staff is not None else members
    admin = admin if admin is not None else staff
    return {"anonymous": anonymous, "member": members, "member_restricted": members,
            "member_confidential": members, "staff_public": staff, "staff": staff,
            "admin": admin}


READ = expect(everyone=200)
EDIT_PAGE = expect(members=403, staff=200)
# Deleting a programme deletes all it holds: only for staff who see everything.
DELETE_PAGE = {**EDIT_PAGE, "staff_public": 403}
ADMIN_PAGE = expect(members=403, admin=200)

# Removing an item of a submitted inquiry removes its answer too: only for staff who see everything.
ITEM_REMOVAL = {**expect(members=403, staff=303), "staff_public": 403}

# (method, path template) -> (form to send, expected status per role). Order matters: routes
# that delete or sign out come last. {p} is a public programme, {d} one to delete, {n} a public
# note on {p}, {m} a note to delete, {u} an account for the administrator to change, {t} a
# calendar token that opens no feed, {h} a public hearing with {a} and {ad} on its agenda, {hd}
# a hearing to delete, {c} a criterion; {i} a public, submitted inquiry about {p}, {it} and
# {itd} public items of it, {di} an inquiry to delete; {ai} a public inquiry with a public
# answer, {f} a public file of it, {fd} one to delete, {ia} an inquiry whose answer is removed;
# {doc} a stored public brief of {p}, made by the finished job {j}; {r} a previewed import
# file of the staff account; {e} an export.
POLICY: dict[tuple[str, str], tuple[dict | None, dict]] = {
    ("GET", "/health"): (None, expect(anonymous=200, everyone=200)),
    ("GET", "/health/live"): (None, expect(anonymous=200, everyone=200)),
    ("GET", "/login"): (None, expect(anonymous=200, everyone=200)),
    ("POST", "/login"): ({"email": "x@y.z", "password": "x"}, expect(anonymous=400, everyone=400)),
    ("GET", "/"): (None, READ),
    ("GET", "/dashboard/ministries.svg"): (None, READ),
    ("GET", "/account"): (None, READ),
    ("POST", "/account/password"): ({"current_password": "wrong"}, expect(everyone=422)),
    # Everyone signed in may have a calendar address; the feed itself needs no session, and a
    # token that opens no feed ({t}) is not found for anyone.
    ("POST", "/account/calendar"): ({}, READ),
    ("POST", "/account/calendar/revoke"): ({}, expect(everyone=303)),
    # API tokens: a label is needed; {tk} is another account's token, which nobody may revoke
    # on their own account page (not found), and only administrators review and revoke.
    ("POST", "/account/tokens"): ({}, expect(everyone=422)),
    ("POST", "/account/tokens/{tk}/revoke"): ({}, expect(everyone=404)),
    ("GET", "/admin/tokens"): (None, ADMIN_PAGE),
    ("POST", "/admin/tokens/{tk}/revoke"): ({}, expect(members=403, admin=303)),
    ("GET", "/calendar/{t}.ics"): (None, expect(anonymous=404, everyone=404)),
    ("GET", "/programmes"): (None, READ),
    ("GET", "/programmes/{p}"): (None, READ),
    ("GET", "/programmes/{p}/funding.svg"): (None, READ),
    ("GET", "/programmes/new"): (None, EDIT_PAGE),
    ("POST", "/programmes"): ({}, expect(members=403, staff=422)),
    ("GET", "/programmes/{p}/edit"): (None, EDIT_PAGE),
    ("POST", "/programmes/{p}/edit"): ({}, expect(members=403, staff=422)),
    ("GET", "/programmes/{p}/delete"): (None, DELETE_PAGE),
    ("GET", "/programmes/{p}/notes/new"): (None, EDIT_PAGE),
    ("POST", "/programmes/{p}/notes"): ({}, expect(members=403, staff=422)),
    ("GET", "/programmes/{p}/notes/{n}/edit"): (None, EDIT_PAGE),
    ("POST", "/programmes/{p}/notes/{n}/edit"): ({}, expect(members=403, staff=422)),
    ("GET", "/programmes/{p}/notes/{n}/delete"): (None, EDIT_PAGE),
    ("GET", "/hearings"): (None, READ),
    ("GET", "/search"): (None, READ),
    ("GET", "/hearings/new"): (None, EDIT_PAGE),
    ("POST", "/hearings"): ({}, expect(members=403, staff=422)),
    ("GET", "/hearings/{h}"): (None, READ),
    ("GET", "/hearings/{h}/edit"): (None, EDIT_PAGE),
    ("POST", "/hearings/{h}/edit"): ({}, expect(members=403, staff=422)),
    ("GET", "/hearings/{h}/delete"): (None, DELETE_PAGE),
    ("POST", "/hearings/{h}/agenda"): ({}, expect(members=403, staff=422)),
    ("POST", "/hearings/{h}/agenda/{a}/move"): ({"direction": "down"},
                                                expect(members=403, staff=303)),
    ("GET", "/programmes/{p}/safeguards/{c}"): (None, EDIT_PAGE),
    ("POST", "/programmes/{p}/safeguards/{c}"): ({}, expect(members=403, staff=422)),
    ("GET", "/admin/users"): (None, ADMIN_PAGE),
    ("GET", "/admin/users/new"): (None, ADMIN_PAGE),
    ("POST", "/admin/users"): ({}, expect(members=403, admin=422)),
    ("GET", "/admin/users/{u}/edit"): (None, ADMIN_PAGE),
    ("POST", "/admin/users/{u}/edit"): ({"version": "1"}, expect(members=403, admin=422)),
    ("POST", "/admin/users/{u}/password"): ({}, ADMIN_PAGE),
    ("POST", "/admin/users/{u}/deactivate"): ({}, expect(members=403, admin=303)),
    ("POST", "/admin/users/{u}/activate"): ({}, expect(members=403, admin=303)),
    ("GET", "/admin/audit"): (None, ADMIN_PAGE),
    ("GET", "/inquiries"): (None, READ),
    ("GET", "/inquiries/new"): (None, EDIT_PAGE),
    ("POST", "/inquiries"): ({}, expect(members=403, staff=422)),
    ("GET", "/inquiries/{i}"): (None, READ),
    ("GET", "/inquiries/{i}/edit"): (None, EDIT_PAGE),
    ("POST", "/inquiries/{i}/edit"): ({}, expect(members=403, staff=422)),
    ("POST", "/inquiries/{i}/extensions"): ({}, expect(members=403, staff=422)),
    ("POST", "/inquiries/{i}/withdraw"): ({}, expect(members=403, staff=422)),
    ("POST", "/inquiries/{i}/withdraw/undo"): ({}, expect(members=403, staff=303)),
    ("POST", "/inquiries/{i}/items"): ({}, expect(members=403, staff=422)),
    ("POST", "/inquiries/{i}/items/paste"): ({}, expect(members=403, staff=422)),
    ("GET", "/inquiries/{i}/items/{it}/edit"): (None, EDIT_PAGE),
    ("POST", "/inquiries/{i}/items/{it}/edit"): ({}, expect(members=403, staff=422)),
    ("POST", "/inquiries/{i}/items/{it}/move"): ({"direction": "down"},
                                                 expect(members=403, staff=303)),
    ("GET", "/inquiries/{i}/delete"): (None, DELETE_PAGE),
    ("POST", "/inquiries/{i}/items/{itd}/delete"): ({}, ITEM_REMOVAL),
    ("POST", "/inquiries/{di}/delete"): ({}, {**expect(members=403, staff=303),
                                              "staff_public": 403}),
    ("GET", "/inquiries/{ai}/answer"): (None, EDIT_PAGE),
    ("POST", "/inquiries/{ai}/answer"): ({}, expect(members=403, staff=422)),
    ("GET", "/inquiries/{ai}/answer/delete"): (None, DELETE_PAGE),
    ("POST", "/inquiries/{ai}/answer/attachments"): ({}, expect(members=403, staff=422)),
    ("GET", "/attachments/{f}"): (None, READ),
    # Asking for a brief or dossier: the empty form names no clearance, so nothing is queued.
    ("POST", "/programmes/{p}/briefs"): ({}, expect(members=403, staff=422)),
    ("POST", "/hearings/{h}/dossiers"): ({}, expect(members=403, staff=422)),
    ("GET", "/documents/jobs/{j}"): (None, READ),
    # {j} is done: Retry has nothing to do and shows the job again.
    ("POST", "/documents/jobs/{j}/retry"): ({}, expect(members=403, staff=303)),
    ("GET", "/documents/{doc}/download"): (None, READ),
    ("POST", "/inquiries/{ai}/follow-up"): ({}, expect(members=403, staff=303)),
    # Imports are for staff; an uploaded file ({r}, the staff account's) is its uploader's alone.
    ("GET", "/imports"): (None, EDIT_PAGE),
    ("GET", "/imports/template.csv"): (None, EDIT_PAGE),
    ("POST", "/imports"): ({}, expect(members=403, staff=422)),
    ("GET", "/imports/{r}"): (None, {**expect(members=403, staff=404), "staff": 200}),
    ("POST", "/imports/{r}/commit"): ({}, {**expect(members=403, staff=404), "staff": 303}),
    ("GET", "/exports"): (None, READ),
    ("GET", "/exports/{e}"): (None, READ),
    ("POST", "/attachments/{fd}/delete"): ({}, expect(members=403, staff=303)),
    # Removing an answer removes all it holds: only for staff who see everything.
    ("POST", "/inquiries/{ia}/answer/delete"): ({}, {**expect(members=403, staff=303),
                                                     "staff_public": 403}),
    ("POST", "/programmes/{p}/notes/{m}/delete"): ({}, expect(members=403, staff=303)),
    ("POST", "/hearings/{h}/agenda/{ad}/delete"): ({}, expect(members=403, staff=303)),
    ("POST", "/hearings/{hd}/delete"): ({}, {**expect(members=403, staff=303),
                                            "staff_public": 403}),
    ("POST", "/programmes/{d}/delete"): ({}, {**expect(members=403, staff=303),
                                              "staff_public": 403}),
    ("POST", "/logout"): ({}, expect(everyone=303)),
}

# Records above a reader's clearance answer as if they did not exist: 404, never 403.
CLASSIFIED_ROUTES = [
    # Before the routes that delete {x} and {xh}.
    ("POST", "/programmes/{x}/briefs"), ("POST", "/hearings/{xh}/dossiers"),
    ("GET", "/documents/jobs/{xj}"), ("POST", "/documents/jobs/{xj}/retry"),
    ("GET", "/documents/{xdoc}/download"),
    ("GET", "/programmes/{x}"), ("GET", "/programmes/{x}/funding.svg"),
    ("GET", "/programmes/{x}/edit"), ("GET", "/programmes/{x}/delete"),
    ("GET", "/programmes/{x}/notes/new"),
    ("GET", "/programmes/{x}/safeguards/{c}"), ("POST", "/programmes/{x}/safeguards/{c}"),
    ("POST", "/hearings/{h}/agenda/{xa}/move"), ("POST", "/hearings/{h}/agenda/{xa}/delete"),
    ("GET", "/hearings/{xh}"), ("GET", "/hearings/{xh}/edit"), ("POST", "/hearings/{xh}/edit"),
    ("POST", "/hearings/{xh}/agenda"), ("GET", "/hearings/{xh}/delete"),
    ("POST", "/programmes/{x}/edit"),
    ("POST", "/programmes/{x}/delete"), ("GET", "/programmes/{p}/notes/{xn}/edit"),
    ("POST", "/programmes/{p}/notes/{xn}/delete"), ("POST", "/hearings/{xh}/delete"),
    ("GET", "/inquiries/{xai}/answer"), ("POST", "/inquiries/{xai}/answer"),
    ("GET", "/inquiries/{xai}/answer/delete"), ("POST", "/inquiries/{xai}/answer/attachments"),
    ("POST", "/inquiries/{xai}/follow-up"), ("GET", "/attachments/{xf}"),
    ("POST", "/attachments/{xf}/delete"), ("POST", "/inquiries/{xai}/answer/delete"),
    ("GET", "/inquiries/{xi}"), ("GET", "/inquiries/{xi}/edit"), ("POST", "/inquiries/{xi}/edit"),
    ("POST", "/inquiries/{xi}/extensions"), ("POST", "/inquiries/{xi}/withdraw"),
    ("POST", "/inquiries/{xi}/withdraw/undo"), ("POST", "/inquiries/{xi}/items"),
    ("POST", "/inquiries/{xi}/items/paste"), ("GET", "/inquiries/{xi}/delete"),
    ("GET", "/inquiries/{i}/items/{xit}/edit"), ("POST", "/inquiries/{i}/items/{xit}/edit"),
    ("POST", "/inquiries/{i}/items/{xit}/move"), ("POST", "/inquiries/{i}/items/{xit}/delete"),
    ("POST", "/inquiries/{xi}/delete"),
]


def app_routes() -> set[tuple[str, str]]:
    """(method, path) of every route the app serves, routers included."""
    found = set()

    def walk(routes, prefix=""):
        for route in routes:
            if isinstance(route, APIRoute):
                found.update((m, prefix + route.path) for m in route.methods if m != "HEAD")
            elif hasattr(route, "original_router"):
                walk(route.original_router.routes, prefix + route.include_context.prefix)

    walk(create_app().routes)
    return found


def _template(path: str) -> str:
    for name, placeholder in (("programme_id", "p"), ("note_id", "n"), ("user_id", "u"),
                              ("token", "t"), ("hearing_id", "h"), ("agenda_item_id", "a"),
                              ("criterion_id", "c"), ("inquiry_id", "i"), ("item_id", "it"),
                              ("attachment_id", "f"), ("job_id", "j"), ("document_id", "doc"),
                              ("run_id", "r"), ("export_name", "e"), ("token_id", "tk")):
        path = path.replace("{" + name + "}", "{" + placeholder + "}")
    return path


# Records made to be deleted stand in for the route's ordinary placeholder.
TO_DELETE = {"{d}": "{p}", "{m}": "{n}", "{ia}": "{i}", "{ai}": "{i}", "{di}": "{i}",
             "{itd}": "{it}", "{hd}": "{h}", "{ad}": "{a}", "{fd}": "{f}"}


def _canonical(path: str) -> str:
    for placeholder, usual in TO_DELETE.items():
        path = path.replace(placeholder, usual)
    return path


def test_every_route_has_a_decided_access():
    # The JSON API's routes are decided in tests/api/test_api_access.py.
    routes = {(method, _template(path)) for method, path in app_routes()
              if not path.startswith("/api/")}
    decided = {(method, _canonical(path)) for method, path in POLICY}
    assert routes - decided == set(), "routes without an access decision in POLICY"
    assert decided - routes == set(), "POLICY lists routes the app does not have"


def _programme(session, code: str, level: Classification) -> int:
    data = ProgrammeInput.model_validate({
        "reference_code": code, "title": f"Programme {code}", "instrument": "EPF",
        "recipient_country": "MD", "kinds": ["training"], "status": "active",
        "classification": level.name.lower(),
        "funding": [{"year": "2024", "kind": "commitment", "amount": "100", "currency": "EUR"}],
    })
    return programmes.create_programme(session, data).id


def _note(session, programme_id: int, title: str, level: Classification) -> int:
    programme = programmes.get_programme(session, programme_id)
    return programmes.save_note(session, programme, None, title=title, body="",
                                classification=level).id


def _hearings(session, ids: dict) -> dict:
    """A public hearing with {p}, {d} and the restricted {x} on its agenda, one to delete, a
    restricted one, and the first criterion."""
    def hearing(title: str, level: Classification) -> int:
        data = HearingInput.model_validate({"committee": "Committee", "title": title,
                                            "held_on": "2026-03-19", "classification": level})
        return hearings.create_hearing(session, data).id

    found = {"h": hearing("Public hearing", Classification.PUBLIC),
             "hd": hearing("Hearing to delete", Classification.PUBLIC),
             "xh": hearing("Restricted hearing", Classification.RESTRICTED)}
    public = hearings.get_hearing(session, found["h"])
    for key, programme in (("a", "p"), ("ad", "d"), ("xa", "x")):
        found[key] = hearings.add_to_agenda(session, public, ids[programme]).id
    found["c"] = session.exec(select(SafeguardCriterion.id).order_by(
        SafeguardCriterion.position)).first()
    return found


def _inquiry(session, title: str, level: Classification, questions: list[str],
             programmes: list[str] = ()) -> tuple[int, list[int]]:
    """An inquiry submitted on 2026-03-02, and the ids of its items."""
    data = InquiryInput.model_validate({
        "inquiry_type": "minor_interpellation", "title": title, "submitted_on": "2026-03-02",
        "ministries": ["BMVg"], "programmes": list(programmes),
        "classification": level.name.lower(),
    })
    pasted = [PastedItem(n, text) for n, text in enumerate(questions, start=1)]
    inquiry = inquiries.create_inquiry(session, data, pasted)
    return inquiry.id, [item.id for item in inquiry.items]


def _restricted_item(session, inquiry_id: int, text: str) -> int:
    inquiry = inquiries.get_inquiry(session, inquiry_id)
    return add_item(session, inquiry, ItemInput.model_validate(
        {"number": str(next_number(session, inquiry)), "text": text, "classification": "restricted"})).id


@pytest.fixture
def world(data_dir, empty_db) -> Iterator[tuple[LiveServer, dict]]:
    engine, session = system_session(empty_db)
    with session:
        ids = {"p": _programme(session, "PUB-1", Classification.PUBLIC),
               "d": _programme(session, "PUB-DEL", Classification.PUBLIC),
               "x": _programme(session, "RES-1", Classification.RESTRICTED)}
        ids.update(n=_note(session, ids["p"], "Public note", Classification.PUBLIC),
                   m=_note(session, ids["p"], "Note to delete", Classification.PUBLIC),
                   xn=_note(session, ids["p"], "Restricted note", Classification.RESTRICTED))
        ids["t"] = "no-such-calendar-token-0123456789abcdefghij"
        ids.update(_hearings(session, ids))
        ids["i"], (ids["it"], ids["itd"]) = _inquiry(
            session, "Public inquiry", Classification.PUBLIC, ["First?", "Second?"], ["PUB-1"])
        ids["xit"] = _restricted_item(session, ids["i"], "Restricted question")
        ids["di"], _ = _inquiry(session, "Inquiry to delete", Classification.PUBLIC, ["Gone?"])
        ids["xi"], _ = _inquiry(session, "Restricted inquiry", Classification.RESTRICTED,
                                ["Hidden?"])
        target = create_user(session, email="target@test.example", name="Target",
                             role=Role.MEMBER, clearance=Classification.PUBLIC,
                             password="target password 123")
        ids["u"] = target.id
        ids["tk"] = create_token(session, target, "Target's script").token.id
        session.commit()
    engine.dispose()
    ids.update(_inquiries(data_dir, empty_db))
    ids.update(_documents(data_dir, ids))
    ids.update(r=store_import_run(data_dir, "staff@test.example"), e="programmes.csv")
    with LiveServer(_settings_for(data_dir)) as live:
        yield live, ids


def _inquiries(data_dir, db_path) -> dict[str, int]:
    """{ai}: a public inquiry whose public answer has an evasive item (so it can be followed
    up), with public files {f} and {fd} and a restricted file {xf}; {ia}: an inquiry whose answer
    is removed; {xai}: a restricted inquiry with its restricted answer."""
    public, restricted = Classification.PUBLIC, Classification.RESTRICTED
    ids = {"ai": store_inquiry(db_path, items=2), "ia": store_inquiry(db_path, items=1),
           "xai": store_inquiry(db_path, items=1, classification=restricted)}
    store_answer(db_path, ids["ai"], assessments={
        1: ("Evasive.", Assessment.EVASIVE, None, public)})
    store_answer(db_path, ids["ia"])
    store_answer(db_path, ids["xai"], classification=restricted, assessments={
        1: ("Partly.", Assessment.PARTIAL, None, restricted)})
    ids.update(f=store_attachment(data_dir, ids["ai"]), fd=store_attachment(data_dir, ids["ai"]),
               xf=store_attachment(data_dir, ids["ai"], classification=restricted))
    return ids


def _documents(data_dir, ids: dict) -> dict[str, int]:
    """{doc}: a public brief of {p}, {xdoc} a restricted one; {j}: the finished public job
    that made {doc}, {xj} a finished restricted one."""
    found = {"doc": store_document(data_dir, programme_id=ids["p"]),
             "xdoc": store_document(data_dir, programme_id=ids["p"],
                                    classification=Classification.RESTRICTED)}
    db_path = database_in(data_dir)
    found["j"] = store_job(db_path, programme_id=ids["p"], state=JobState.DONE,
                           document_id=found["doc"])
    found["xj"] = store_job(db_path, programme_id=ids["p"], state=JobState.DONE,
                            clearance=Classification.RESTRICTED, document_id=found["xdoc"])
    return found


def _call(http, method: str, path: str, form: dict | None):
    if method == "GET":
        return http.get(path)
    return http.post(path, data=form or {})


@pytest.mark.parametrize("role", ROLES)
def test_each_route_answers_each_role_as_the_policy_says(world, client_for, role):
    live, ids = world
    http = client_for(live, None if role == "anonymous" else role)
    actual, expected = {}, {}
    for (method, template), (form, answers) in POLICY.items():
        path = template.format(**ids)
        actual[(method, template)] = _call(http, method, path, form).status_code
        expected[(method, template)] = answers[role]
    assert actual == expected


@pytest.mark.parametrize("role", SIGNED_IN)
def test_records_above_clearance_answer_as_if_they_did_not_exist(world, client_for, role):
    """For a reader without clearance, a classified record gets exactly the answer a record
    that does not exist gets (404, or 403 where the role may not use the route at all)."""
    live, ids = world
    http = client_for(live, role)
    missing = dict(ids, x=999_999, xn=999_998, xh=999_997, xa=999_996, xi=999_995, xf=999_994,
                   xit=999_993, xai=999_992, xj=999_991, xdoc=999_990)
    cleared = ACCOUNTS[role][2] >= Classification.RESTRICTED
    for method, template in CLASSIFIED_ROUTES:
        status = _call(http, method, template.format(**ids), {}).status_code
        if_absent = _call(http, method, template.format(**missing), {}).status_code
        if not cleared:
            assert status == if_absent, (method, template)
            assert status in (403, 404), (method, template)
        else:
            assert status != 404, (method, template)


def test_a_restricted_note_is_invisible_to_a_public_reader(world, client_for, db):
    live, ids = world
    page = client_for(live, "member").get(f"/programmes/{ids['p']}").text
    assert "Public note" in page and "Restricted note" not in page
    page = client_for(live, "member_restricted").get(f"/programmes/{ids['p']}").text
    assert "Restricted note" in page
    assert db.get(ProgrammeNote, ids["xn"]) is not None
