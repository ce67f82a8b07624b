"""Who is calling the API: the person behind the bearer token, and what their role allows.

The API reads no cookies, so a browser session cannot be used against it (and there is no CSRF
question). Every query of the request is then filtered by the token user's clearance, and every
change is recorded as theirs, exactly as for the pages.
"""

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from app.accounts.service import Viewer
from app.access import admit
from app.api.tokens import resolve_token
from app.db import SessionDep
from app.errors import Forbidden, NotAuthenticated

# auto_error=False: a missing header is answered by our own 401 (JSON, WWW-Authenticate).
bearer = HTTPBearer(auto_error=False, scheme_name="bearerAuth",
                    description="A personal API token (`od_...`), made on the account page or "
                                "with `oversight token create`.")


def api_viewer(request: Request, session: SessionDep,
               credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
               ) -> Viewer:
    viewer = resolve_token(session, credentials.credentials if credentials else None)
    if viewer is None:
        raise NotAuthenticated()
    return admit(request, session, viewer)


ApiViewerDep = Annotated[Viewer, Depends(api_viewer)]


def api_editor(viewer: ApiViewerDep) -> Viewer:
    if not viewer.can_edit:
        raise Forbidden("This token's account can read, but not change anything.")
    return viewer


ApiEditorDep = Annotated[Viewer, Depends(api_editor)]
