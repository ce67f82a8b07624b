"""The landing page and its ministries chart."""

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app import clock
from app.access import AUTHENTICATED, ViewerDep
from app.dashboard.chart import chart_height, ministry_chart_svg
from app.dashboard.ministries import ministry_report
from app.dashboard.service import build_dashboard
from app.db import SessionDep
from app.templating import render

router = APIRouter(dependencies=AUTHENTICATED)


@router.get("/", name="dashboard")
def dashboard(request: Request, session: SessionDep, viewer: ViewerDep):
    calendar = request.app.state.settings.working_calendar
    dashboard = build_dashboard(session, calendar, clock.today())
    return render(request, "dashboard/index.html", {
        "dashboard": dashboard,
        "chart_height": chart_height(len(dashboard.ministries.ministries)),
    })


@router.get("/dashboard/ministries.svg", name="dashboard_ministries_chart")
def ministries_chart(request: Request, session: SessionDep, viewer: ViewerDep):
    calendar = request.app.state.settings.working_calendar
    report = ministry_report(session, calendar, clock.today())
    return Response(ministry_chart_svg(report.ministries, report.marking),
                    media_type="image/svg+xml")
