"""Figures derived from the whole register (an inquiry list's order, the ministries' figures),
kept in this process until the register changes.

Status and due dates are derived, never stored, so sorting or counting a parliament's inquiries
by them reads every inquiry: far too slow for each page view. The result is kept, per reader
clearance and per everything else it depends on, and is valid while the register is unchanged.
Every change to a record writes an audit event, and audit events are never updated or deleted
(the database refuses), so the newest event's id names the register's state: a change in any
process, by any path that keeps the audit trail, makes every kept figure stale.
"""

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

import sqlalchemy as sa
from sqlmodel import Session

from app.clearance import reader_clearance, reading_everything
from app.models import AuditEvent

T = TypeVar("T")
# A kept list holds one id per inquiry listed (under a MB for a whole parliament); the register
# as listed, one small record per inquiry (about 25 MB), is kept once per clearance.
KEPT = 128
_kept: OrderedDict[Hashable, object] = OrderedDict()
_lock = threading.Lock()
# One computation per figure at a time: requests arriving meanwhile wait for its result rather
# than each reading the whole register again.
_computing: dict[Hashable, threading.Lock] = {}


def register_state(session: Session) -> tuple:
    """The database and its newest audit event: equal only while nothing has changed."""
    with reading_everything(session):  # bookkeeping: no row is shown
        newest = session.exec(sa.select(sa.func.max(AuditEvent.id))).scalar()
    return session.get_bind().url.render_as_string(hide_password=False), newest


def derived(session: Session, key: Hashable, compute: Callable[[], T]) -> T:
    """`compute()` for this reader's clearance and `key`, or the result kept from an earlier
    call on the same state of the register. The result is shared: never change it."""
    full = (register_state(session), reader_clearance(session), key)
    with _lock:
        computing = _computing.setdefault(full, threading.Lock())
    with computing:
        with _lock:
            if full in _kept:
                _kept.move_to_end(full)
                return _kept[full]
        value = compute()
        with _lock:
            _kept[full] = value
            while len(_kept) > KEPT:
                _computing.pop(_kept.popitem(last=False)[0], None)
    return value
