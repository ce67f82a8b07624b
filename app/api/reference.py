"""API: the reference lists other records name by code: instruments, ministries, inquiry
types (with their deadline rules)."""

from fastapi import APIRouter

from app.api.auth import ApiViewerDep
from app.api.schemas import InquiryTypeRead, InstrumentRead, MinistryRead, errors
from app.db import SessionDep
from app.inquiries import service as inquiries
from app.programmes.search import list_instruments

router = APIRouter(tags=["reference lists"])


@router.get("/instruments", response_model=list[InstrumentRead], name="api_instruments",
            responses=errors(401))
def instruments(session: SessionDep, viewer: ApiViewerDep):
    return list_instruments(session)


@router.get("/ministries", response_model=list[MinistryRead], name="api_ministries",
            responses=errors(401))
def ministries(session: SessionDep, viewer: ApiViewerDep):
    return inquiries.ministries(session)


@router.get("/inquiry-types", response_model=list[InquiryTypeRead], name="api_inquiry_types",
            responses=errors(401))
def inquiry_types(session: SessionDep, viewer: ApiViewerDep):
    return inquiries.inquiry_types(session)
