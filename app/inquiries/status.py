"""An inquiry's status, derived from its dates and its answer; never stored."""

from collections.abc import Iterable
from datetime import date

from app.inquiries.deadlines import WorkingCalendar
from app.models.base import LabelledEnum
from app.models.inquiries import Assessment

# "Due soon": the due date is at most this many working days away.
DUE_SOON_WORKING_DAYS = 3


class InquiryStatus(LabelledEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    ANSWERED = "answered"
    PARTIALLY_ANSWERED = "partially_answered"
    WITHDRAWN = "withdrawn"

    @property
    def is_open(self) -> bool:
        """Still waiting for the government."""
        return self in (InquiryStatus.SUBMITTED, InquiryStatus.DUE_SOON, InquiryStatus.OVERDUE)


def derive_status(
    *, submitted_on: date | None, withdrawn_on: date | None, due_date: date | None,
    answered: bool, assessments: Iterable[Assessment | None], today: date,
    calendar: WorkingCalendar,
) -> InquiryStatus:
    """The status on `today`. `assessments` has one entry per item of the inquiry (None where
    the item has no assessed answer); any item not assessed complete makes an answer partial."""
    if withdrawn_on is not None:
        return InquiryStatus.WITHDRAWN
    # An answer proves the inquiry was put, even when the day it was tabled is not known
    # (real inquiries recorded from sources that do not give it).
    if answered:
        if all(a == Assessment.COMPLETE for a in assessments):
            return InquiryStatus.ANSWERED
        return InquiryStatus.PARTIALLY_ANSWERED
    if submitted_on is None:
        return InquiryStatus.DRAFT
    if due_date is None:
        return InquiryStatus.SUBMITTED
    if today > due_date:
        return InquiryStatus.OVERDUE
    if calendar.working_days_until(today, due_date) <= DUE_SOON_WORKING_DAYS:
        return InquiryStatus.DUE_SOON
    return InquiryStatus.SUBMITTED
