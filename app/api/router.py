"""The JSON API under /api/v1: one module per area, each with its own router. An area is added
by writing its module and listing its router in AREAS."""

from fastapi import APIRouter, Depends

from app.api import answers, hearings, inquiries, programmes, reference, search
from app.api.auth import api_viewer

AREAS = [programmes.router, inquiries.router, answers.router, hearings.router,
         reference.router, search.router]

# Every route needs a token, whatever it declares itself.
api_router = APIRouter(prefix="/api/v1", dependencies=[Depends(api_viewer)])
for area in AREAS:
    api_router.include_router(area)
