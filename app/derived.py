"""Figures derived from the whole register (an inquiry list's order, the ministries' figures),
kept in this process until the register changes.

Status and due dates are derived, never stored, so sorting or counting a parliament's inquiries
by them reads every inquiry: far too slow for each page view. The result is kept, per reader
clearance and per everything else it depends on, and is valid while the register is unchanged.
Every change to a record writes audit events, and every commit that writes them raises the
register's version (app.audit.recorder), visible exactly when the change is: a change in any
process makes every kept figure stale. (The newest audit event's id would not do on PostgreSQL:
ids are handed out before their transactions commit, so a change committed late under an older
id would never be noticed.) Only a cache: every worker checks the database on each use.
"""

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

import sqlalchemy as sa
from sqlmodel import Session

from app.clearance import reader_clearance
from app.models import RegisterVersion

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
    """The database and its version: equal only while nothing has changed."""
    version = session.exec(sa.select(RegisterVersion.version)
                           .where(RegisterVersion.id == 1)).scalar()
    return session.get_bind().url.render_as_string(hide_password=False), version


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
