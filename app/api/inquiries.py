"""API: inquiries. Lists with the HTML list's filters (app.inquiries.search), each with its
derived status and due date; create with items under the form's rules (InquiryInput, ItemInput)."""

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request

from app import clock
from app.access import RecordId
from app.api.auth import ApiEditorDep, ApiViewerDep
from app.api.common import PagingDep, check_all, checked, page_fields
from app.api.schemas import InquiryCreate, InquiryPage, InquiryRead, errors
from app.db import SessionDep
from app.errors import ValidationFailed
from app.inquiries import search, service
from app.inquiries.forms import InquiryInput, ItemInput
from app.inquiries.paste import PastedItem
from app.inquiries.service import InquiryState
from app.inquiries.status import InquiryStatus
from app.text import MAX_RECORD_ID

router = APIRouter(tags=["inquiries"])


def summary(state: InquiryState) -> dict:
    inquiry = state.inquiry
    return {
        "id": inquiry.id, "reference": inquiry.reference, "title": inquiry.title,
        "inquiry_type": inquiry.inquiry_type.code, "status": state.status,
        "submitted_on": inquiry.submitted_on, "due_date": state.due_date,
        "withdrawn_on": inquiry.withdrawn_on,
        "lead_ministry": next((m.ministry.code for m in inquiry.ministries if m.lead), None),
        "classification": inquiry.classification,
    }


def inquiry_read(request: Request, session, inquiry_id: int) -> InquiryRead:
    inquiry = service.get_inquiry(session, inquiry_id, fresh=True)
    state = service.state_of(inquiry, request.app.state.settings.working_calendar,
                             clock.today())
    return InquiryRead.model_validate({
        **summary(state),
        **{name: getattr(inquiry, name) for name in (
            "asked_by", "faction", "preamble", "set_due_date", "version", "items")},
        "due_date_explanation": " ".join(state.due.explanation),
        "answered": inquiry.answer is not None,
        "ministries": [{"code": m.ministry.code, "name": m.ministry.name, "lead": m.lead}
                       for m in inquiry.ministries],
        "programmes": service.linked_programmes(session, [inquiry.id])[inquiry.id],
    })


@router.get("/inquiries", response_model=InquiryPage, name="api_inquiry_list",
            responses=errors(401, 422))
def inquiry_list(
    request: Request, session: SessionDep, viewer: ApiViewerDep, paging: PagingDep,
    q: Annotated[str, Query(max_length=200, description="Words in reference, title, "
                                                        "asked by, faction.")] = "",
    status: InquiryStatus | None = None,
    type: Annotated[str, Query(max_length=40, description="An inquiry type's code.")] = "",
    ministry: Annotated[str, Query(max_length=20, description="A ministry's code.")] = "",
    programme: Annotated[int | None, Query(ge=1, le=MAX_RECORD_ID,
                                           description="A linked programme's id.")] = None,
    sort: search.SortKey = search.SortKey.DUE,
    dir: Literal["asc", "desc"] = "asc",
):
    # The parameters above document and check the query; the list page's own parsing reads it.
    settings = request.app.state.settings
    filters = search.InquiryFilters.from_query(
        request.query_params, {t.code for t in service.inquiry_types(session)},
        {m.code for m in service.ministries(session)})
    filters, _ = search.filter_programme(session, filters)
    page = search.search_inquiries(session, filters, settings.working_calendar, clock.today(),
                                   paging.page_size)
    return InquiryPage(items=[summary(state) for state in page.rows], **page_fields(page))


@router.get("/inquiries/{inquiry_id}", response_model=InquiryRead, name="api_inquiry_detail",
            responses=errors(401, 404))
def inquiry_detail(request: Request, inquiry_id: RecordId, session: SessionDep,
                   viewer: ApiViewerDep):
    return inquiry_read(request, session, inquiry_id)


@router.post("/inquiries", response_model=InquiryRead, status_code=201,
             name="api_inquiry_create", responses=errors(400, 401, 403, 422))
def inquiry_create(request: Request, body: InquiryCreate, session: SessionDep,
                   editor: ApiEditorDep):
    clearance = editor.user.clearance
    raw = body.model_dump(mode="json", exclude={"items"})
    data, *items = check_all([
        lambda: checked(InquiryInput, raw, clearance),
        *(lambda i=i, item=item: checked(ItemInput, item.model_dump(mode="json"), clearance,
                                         prefix=f"items.{i}")
          for i, item in enumerate(body.items)),
    ])
    numbers = [item.number for item in items]
    twice = next((i for i, n in enumerate(numbers) if numbers.index(n) != i), None)
    if twice is not None:
        raise ValidationFailed({f"items.{twice}.number":
                                f"Two questions have the number {numbers[twice]}."})
    inquiry = service.create_inquiry(session, data,
                                     [PastedItem(item.number, item.text) for item in items])
    return inquiry_read(request, session, inquiry.id)
