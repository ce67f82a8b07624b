"""What every `oversight` command shares: a database session that sees everything, the way a
refusal is said (on standard error, exit status 1), the account an e-mail address names, and
the clearance choice. app/cli.py and the area command modules (tokens, imports and exports)
use these, so each refusal reads and exits the same way."""

import enum
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NoReturn

import typer
from sqlmodel import Session

from app.config import Settings


class ClearanceChoice(str, enum.Enum):
    public = "public"
    restricted = "restricted"
    confidential = "confidential"


@contextmanager
def command_session(what: str) -> Iterator[Session]:
    """A database session for a command: sees everything, records changes as the command's."""
    from app.audit.recorder import Actor, set_actor
    from app.clearance import read_as_system
    from app.db import make_engine

    engine = make_engine(Settings().resolved_database_url)
    try:
        with Session(engine) as session:
            read_as_system(session)
            set_actor(session, Actor(None, f"command line ({what})"))
            yield session
    finally:
        engine.dispose()


def refuse(message: str) -> NoReturn:
    """Say why the command did nothing, and end it with exit status 1."""
    typer.echo(f"Refused: {message}", err=True)
    raise typer.Exit(1)


def refuse_problems(errors: dict[str, str]) -> NoReturn:
    """Refuse with each field's problem (a ValidationFailed's errors) on its own line."""
    for field, message in errors.items():
        typer.echo(f"Refused: {field}: {message}", err=True)
    raise typer.Exit(1)


def account(session: Session, email: str, *, active: bool = False):
    """The account of `email`; refused if there is none (or, with `active`, if it is
    deactivated)."""
    from app.accounts import service
    from app.errors import NotFound

    try:
        user = service.user_by_email(session, email)
    except NotFound:
        refuse(f"no account with the e-mail address {email}.")
    if active and not user.active:
        refuse(f"the account {user.email} is deactivated.")
    return user
