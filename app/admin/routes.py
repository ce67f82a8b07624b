"""Administrator pages: accounts (create, change, deactivate, reset password) and the audit trail."""

from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from starlette.datastructures import FormData

from app.access import AUTHENTICATED, AdminDep, FormDep, RecordId
from app.accounts import service as accounts
from app.audit import service as audit
from app.db import SessionDep
from app.errors import Forbidden, NotFound
from app.models import Classification, Role, User
from app.templating import render

router = APIRouter(prefix="/admin", dependencies=AUTHENTICATED)


def _user(session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("Account")
    return user


def _clearance_problem(admin, clearance, errors: dict) -> None:
    """Nobody grants a clearance above their own: they would hand out what they cannot see."""
    if clearance is not None and clearance > admin.user.clearance:
        errors["clearance"] = (f"You can grant at most your own clearance "
                               f"({admin.user.clearance.label.lower()}).")


def _may_manage(admin, user: User) -> None:
    """An administrator changes neither their own account here (that would let them raise
    their own clearance) nor accounts cleared higher than they are."""
    if user.id == admin.user.id:
        raise Forbidden("You cannot change your own role, clearance or password here; ask "
                        "another administrator. Your password is on your account page.")
    if user.clearance > admin.user.clearance:
        raise Forbidden("This account is cleared higher than you; an administrator with that "
                        "clearance must change it.")


def _choice(value, enum_parse, field: str, errors: dict, message: str):
    try:
        return enum_parse(str(value or ""))
    except ValueError:
        errors[field] = message
        return None


def _account_form(session, admin, submitted: FormData, user: User | None):
    """(values as typed, role, clearance, errors) from the account form, for create and edit."""
    values = {k: str(submitted.get(k, "")) for k in ("email", "name", "role", "clearance",
                                                      "version")}
    errors: dict[str, str] = {}
    role = _choice(values["role"], Role, "role", errors, "Choose a role.")
    clearance = _choice(values["clearance"], Classification.parse, "clearance", errors,
                        "Choose a clearance.")
    _clearance_problem(admin, clearance, errors)
    errors.update(accounts.account_problems(session, values["email"], values["name"],
                                            user.id if user else None))
    return values, role, clearance, errors


@router.get("/users", name="admin_users")
def users(request: Request, session: SessionDep, admin: AdminDep):
    done = {"deactivated": "The account was deactivated; its sessions have ended.",
            "reactivated": "The account was reactivated.",
            "saved": "The account was saved."}.get(request.query_params.get("done", ""))
    return render(request, "admin/users.html", {
        "users": accounts.list_users(session), "done": done,
    })


@router.get("/users/new", name="admin_user_new")
def user_new(request: Request, admin: AdminDep):
    values = {"email": "", "name": "", "role": "member", "clearance": "public"}
    return render(request, "admin/user_form.html", {"user": None, "values": values,
                                                    "errors": {}})


@router.post("/users", name="admin_user_create")
def user_create(request: Request, session: SessionDep, admin: AdminDep, submitted: FormDep):
    values, role, clearance, errors = _account_form(session, admin, submitted, None)
    if errors:
        return render(request, "admin/user_form.html",
                      {"user": None, "values": values, "errors": errors}, status_code=422)
    password = accounts.generate_password()
    user = accounts.create_user(session, email=values["email"], name=values["name"], role=role,
                                clearance=clearance, password=password)
    return _with_password(request, user, password, created=True)


def _with_password(request, user: User, password: str, created: bool):
    """The one time a generated password is shown; never stored in clear, never shown again."""
    return render(request, "admin/user_password.html", {
        "account": user, "password": password, "created": created,
    })


@router.get("/users/{user_id}/edit", name="admin_user_edit")
def user_edit(request: Request, user_id: RecordId, session: SessionDep, admin: AdminDep):
    user = _user(session, user_id)
    _may_manage(admin, user)
    values = {"email": user.email, "name": user.name, "role": user.role.value,
              "clearance": user.clearance.name.lower(), "version": str(user.version)}
    return render(request, "admin/user_form.html", {"user": user, "values": values,
                                                    "errors": {}})


@router.post("/users/{user_id}/edit", name="admin_user_update")
def user_update(request: Request, user_id: RecordId, session: SessionDep, admin: AdminDep,
                submitted: FormDep):
    user = _user(session, user_id)
    _may_manage(admin, user)
    values, role, clearance, errors = _account_form(session, admin, submitted, user)
    if values["version"] != str(user.version):
        errors["__all__"] = audit.changed_since_message(session, "user", user.id)
        values["version"] = str(user.version)
    # No "last administrator" check is needed: nobody edits their own account here, so an
    # administrator changing another one leaves at least themselves.
    if errors:
        return render(request, "admin/user_form.html",
                      {"user": user, "values": values, "errors": errors},
                      status_code=409 if "__all__" in errors else 422)
    user.email, user.name = accounts.normalise_email(values["email"]), " ".join(values["name"].split())
    user.role, user.clearance = role, clearance
    session.flush()
    return RedirectResponse("/admin/users?done=saved", status_code=303)


@router.post("/users/{user_id}/deactivate", name="admin_user_deactivate")
def user_deactivate(request: Request, user_id: RecordId, session: SessionDep, admin: AdminDep):
    user = _user(session, user_id)
    if user.id == admin.user.id:
        return _users_with_error(request, session, "You cannot deactivate your own account.")
    _may_manage(admin, user)
    accounts.deactivate(session, user)
    return RedirectResponse("/admin/users?done=deactivated", status_code=303)


@router.post("/users/{user_id}/activate", name="admin_user_activate")
def user_activate(user_id: RecordId, session: SessionDep, admin: AdminDep):
    user = _user(session, user_id)
    _may_manage(admin, user)
    user.active = True
    session.flush()
    return RedirectResponse("/admin/users?done=reactivated", status_code=303)


@router.post("/users/{user_id}/password", name="admin_user_password")
def user_reset_password(request: Request, user_id: RecordId, session: SessionDep,
                        admin: AdminDep):
    user = _user(session, user_id)
    _may_manage(admin, user)
    password = accounts.generate_password()
    accounts.set_password(session, user, password)
    return _with_password(request, user, password, created=False)


def _users_with_error(request, session, message: str):
    return render(request, "admin/users.html", {
        "users": accounts.list_users(session), "error": message, "done": None,
    }, status_code=409)


@router.get("/audit", name="admin_audit")
def audit_trail(request: Request, session: SessionDep, admin: AdminDep):
    filters = audit.AuditFilters.from_query(request.query_params)
    page = audit.search_events(session, filters)
    params = {k: v for k, v in request.query_params.items() if k != "page" and v}
    return render(request, "admin/audit.html", {
        "filters": filters, "page": page, "users": accounts.list_users(session),
        "record_types": audit.RECORD_TYPES,
        "page_url": lambda n: "/admin/audit?" + urlencode({**params, "page": n}),
    })
