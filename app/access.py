"""Who may do what: the signed-in viewer, CSRF checks, and role requirements for routes.

Every router except the sign-in pages and the health check is built with `AUTHENTICATED`, so a
route is private unless it is deliberately put elsewhere. Write routes add `EditorDep`, admin
routes `AdminDep`. tests/test_access.py holds the expected answer of every route for every role
and clearance, and fails for a route it does not know.
"""

import hmac
from typing import Annotated

from fastapi import Depends, Path, Request
from starlette.datastructures import FormData

from app.accounts.service import Viewer, resolve_session
from app.audit.recorder import Actor, set_actor
from app.clearance import sees_everything, set_reader_clearance
from app.db import SessionDep
from app.errors import Forbidden, NotAuthenticated
from app.text import MAX_RECORD_ID

SESSION_COOKIE = "oversight_session"
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
# Enough for a programme with 200 funding lines and 200 sources; beyond it, a clear 400.
MAX_FORM_FIELDS = 5000
MAX_FORM_FILES = 5


def current_viewer(request: Request, session: SessionDep) -> Viewer:
    viewer = resolve_session(session, request.app.state.settings,
                             request.cookies.get(SESSION_COOKIE))
    # Ends the transaction now: an expired session is marked ended for good, though we refuse;
    # a live one's "last seen" (written once a minute) would otherwise hold SQLite's single
    # write lock for the whole request, and a slow page makes other readers' sign-ins wait.
    session.commit()
    if viewer is None:
        raise NotAuthenticated()
    return admit(request, session, viewer)


def admit(request: Request, session, viewer: Viewer) -> Viewer:
    """Let `viewer` go on (signed in, or holding an API token): from here on every query of
    this request is filtered by their clearance, and every change is recorded as theirs."""
    set_reader_clearance(session, viewer.user.clearance)
    set_actor(session, Actor(viewer.user.id, viewer.user.name))
    request.state.viewer = viewer
    return viewer


ViewerDep = Annotated[Viewer, Depends(current_viewer)]


async def check_csrf(request: Request, viewer: ViewerDep) -> None:
    """A state-changing request must carry the session's token: htmx sends it as a header,
    forms as a hidden field."""
    if request.method in SAFE_METHODS:
        return
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await read_form(request)
        sent = form.get(CSRF_FIELD)
    if not isinstance(sent, str) or not hmac.compare_digest(sent, viewer.csrf_token):
        raise Forbidden("The form had expired or did not come from this site, so nothing was "
                        "changed. Reload the page and try again.")


async def read_form(request: Request):
    """The submitted form, parsed once per request (Starlette keeps it) with our limits.

    A NUL character becomes SUB (U+001A, ASCII's stand-in for a character that cannot be
    represented): PostgreSQL can neither store nor even compare a NUL in text, so a field
    holding one would fail in the database instead of being refused. SUB is a control
    character like any other: clean_text refuses it next to its field, and a lookup by it
    finds nothing."""
    form = await request.form(max_fields=MAX_FORM_FIELDS, max_files=MAX_FORM_FILES)
    if not any(isinstance(value, str) and "\x00" in value for _, value in form.multi_items()):
        return form
    return FormData([(name, value.replace("\x00", "\x1a") if isinstance(value, str) else value)
                     for name, value in form.multi_items()])


FormDep = Annotated[FormData, Depends(read_form)]
# A record's id in an address: a positive id column value (app.text.MAX_RECORD_ID); anything else
# names no record (404).
RecordId = Annotated[int, Path(ge=1, le=MAX_RECORD_ID)]


def require_editor(viewer: ViewerDep) -> Viewer:
    if not viewer.can_edit:
        raise Forbidden("Your account can read and download, but not change anything.")
    return viewer


def require_admin(viewer: ViewerDep) -> Viewer:
    if not viewer.is_admin:
        raise Forbidden("Only administrators can do this.")
    return viewer


EditorDep = Annotated[Viewer, Depends(require_editor)]
AdminDep = Annotated[Viewer, Depends(require_admin)]


def full_clearance_to_delete(what: str, holds: str):
    """A dependency for deleting a `what` that deletes all it `holds`: only an editor who sees
    everything may, so nothing is destroyed that the person deleting could not see. The rule
    does not depend on the record, so it tells nobody what a record holds."""
    def check(editor: EditorDep) -> Viewer:
        if not sees_everything(editor.user.clearance):
            raise Forbidden(f"Deleting a {what} needs confidential clearance, because it deletes "
                            f"{holds}. Ask a colleague with that clearance.")
        return editor
    return check


AUTHENTICATED = [Depends(current_viewer), Depends(check_csrf)]
