"""An inquiry's numbered items, changed in place: add, edit, move, remove, paste.

Each route works as a plain form (POST, then a redirect to the inquiry page) and, for htmx,
answers with the items block of that page: the list as it now is, the change announced in the
page's live region and the keyboard focus on what the person will want next.
"""


from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from pydantic import ValidationError
from starlette.datastructures import FormData

from app.access import AUTHENTICATED, EditorDep, FormDep, RecordId
from app.db import SessionDep
from app.errors import Forbidden, NotFound, ValidationFailed
from app.forms import note_typed_markings, problems
from app.inquiries import items, service
from app.inquiries.forms import ItemInput, PasteInput
from app.inquiries.routes import detail_context, item_message
from app.templating import is_htmx, render

router = APIRouter(dependencies=AUTHENTICATED)

ITEM_FIELDS = ("number", "text", "classification")


def _inquiry_and_item(session, inquiry_id: int, item_id: int):
    """Both, or NotFound if either is missing or above the reader's clearance."""
    inquiry = service.get_inquiry(session, inquiry_id)
    item = items.get_item(inquiry, item_id)
    if item is None:
        raise NotFound("Item")
    return inquiry, item


def _typed(submitted: FormData, names=ITEM_FIELDS) -> dict[str, str]:
    return {name: str(submitted.get(name, "") or "") for name in names}


def _check(values: dict[str, str], model, clearance) -> tuple[object | None, dict[str, str]]:
    try:
        return model.model_validate(values, context={"clearance": clearance}), {}
    except ValidationError as exc:
        return None, problems(exc)


def _changed(request, session, inquiry_id: int, done: str, number: int, focus: str,
             anchor: str = "items"):
    """After a change: the items block for htmx, else back to the page with a notice."""
    if is_htmx(request):
        context = detail_context(request, session, inquiry_id, focus=focus,
                                 items_message=item_message(done, number))
        return render(request, "inquiries/detail.html", context, block="items")
    return RedirectResponse(f"/inquiries/{inquiry_id}?done={done}&n={number}#{anchor}",
                            status_code=303)


def _refused(request, session, inquiry_id: int, values: dict[str, str], **forms):
    """The items block (htmx) or the whole page again, the typed values and the messages at
    their fields; nothing of the refused change was kept."""
    session.rollback()
    note_typed_markings(session, [values.get("classification", "")],
                        request.state.viewer.user.clearance)
    context = detail_context(request, session, inquiry_id, **forms)
    return render(request, "inquiries/detail.html", context, block="items", status_code=422)


@router.post("/inquiries/{inquiry_id}/items", name="item_add")
def item_add(request: Request, inquiry_id: RecordId, session: SessionDep, editor: EditorDep,
             submitted: FormDep):
    inquiry = service.get_inquiry(session, inquiry_id)
    values = _typed(submitted)
    data, errors = _check(values, ItemInput, editor.user.clearance)
    if data is not None:
        try:
            item = items.add_item(session, inquiry, data)
        except ValidationFailed as exc:
            errors = exc.errors
        else:
            return _changed(request, session, inquiry_id, "added", item.number,
                            focus="new-item-text", anchor=f"item-{item.id}")
    return _refused(request, session, inquiry_id, values, focus="new-item",
                    add_form={"values": values, "errors": errors})


@router.get("/inquiries/{inquiry_id}/items/{item_id}/edit", name="item_edit")
def item_edit(request: Request, inquiry_id: RecordId, item_id: RecordId, session: SessionDep,
              editor: EditorDep):
    inquiry, item = _inquiry_and_item(session, inquiry_id, item_id)
    values = {"number": str(item.number), "text": item.text,
              "classification": item.classification.name.lower()}
    context = detail_context(request, session, inquiry_id, item=item, editing_item_id=item.id,
                             item_form={"values": values, "errors": {}})
    # htmx swaps the item's row for its form; without JavaScript, the page shows it in place.
    return render(request, "inquiries/detail.html", context, block="item")


@router.post("/inquiries/{inquiry_id}/items/{item_id}/edit", name="item_update")
def item_update(request: Request, inquiry_id: RecordId, item_id: RecordId, session: SessionDep,
                editor: EditorDep, submitted: FormDep):
    inquiry, item = _inquiry_and_item(session, inquiry_id, item_id)
    if submitted.get("action") == "cancel":
        if not is_htmx(request):
            return RedirectResponse(f"/inquiries/{inquiry_id}#item-{item.id}", status_code=303)
        context = detail_context(request, session, inquiry_id, focus=f"edit-item-{item.id}")
        return render(request, "inquiries/detail.html", context, block="items")
    values = _typed(submitted)
    data, errors = _check(values, ItemInput, editor.user.clearance)
    if data is not None:
        try:
            items.update_item(session, inquiry, item, data)
        except ValidationFailed as exc:
            errors = exc.errors
        else:
            return _changed(request, session, inquiry_id, "saved", data.number,
                            focus=f"edit-item-{item.id}", anchor=f"item-{item.id}")
    return _refused(request, session, inquiry_id, values, editing_item_id=item_id,
                    item_form={"values": values, "errors": errors})


@router.post("/inquiries/{inquiry_id}/items/{item_id}/move", name="item_move")
def item_move(request: Request, inquiry_id: RecordId, item_id: RecordId, session: SessionDep,
              editor: EditorDep, submitted: FormDep):
    inquiry, item = _inquiry_and_item(session, inquiry_id, item_id)
    direction = str(submitted.get("direction", ""))
    items.move_item(session, inquiry, item, direction)
    # Keep the focus on the button pressed, or on the other one once the item reaches an end.
    at_end = inquiry.items[0 if direction == "up" else -1] is item
    pressed = direction if direction in ("up", "down") and not at_end else \
        ("down" if direction == "up" else "up")
    return _changed(request, session, inquiry_id, "moved", item.number,
                    focus=f"move-{pressed}-{item.id}", anchor=f"item-{item.id}")


@router.post("/inquiries/{inquiry_id}/items/{item_id}/delete", name="item_delete")
def item_delete(request: Request, inquiry_id: RecordId, item_id: RecordId, session: SessionDep,
                editor: EditorDep):
    inquiry, item = _inquiry_and_item(session, inquiry_id, item_id)
    if (items.removal_needs_clearance(inquiry, editor.user.clearance)
            or items.has_hidden_answer(session, item)):
        raise Forbidden("Once an inquiry is submitted or answered, removing an item needs "
                        "confidential clearance, because its answer and assessment go with it. "
                        "Edit the item instead, or ask a colleague with that clearance.")
    number = item.number
    items.delete_item(session, inquiry, item)
    return _changed(request, session, inquiry_id, "removed", number, focus="items-heading")


@router.post("/inquiries/{inquiry_id}/items/paste", name="item_paste")
def item_paste(request: Request, inquiry_id: RecordId, session: SessionDep, editor: EditorDep,
               submitted: FormDep):
    inquiry = service.get_inquiry(session, inquiry_id)
    values = _typed(submitted, ("questions", "classification"))
    data, errors = _check(values, PasteInput, editor.user.clearance)
    if data is not None:
        try:
            added = items.paste_items(session, inquiry, data.questions, data.classification)
        except ValidationFailed as exc:
            errors = exc.errors
        else:
            return _changed(request, session, inquiry_id, "pasted", len(added),
                            focus=f"edit-item-{added[0].id}", anchor=f"item-{added[0].id}")
    return _refused(request, session, inquiry_id, values, focus="paste-questions",
                    paste_form={"values": values, "errors": errors})
