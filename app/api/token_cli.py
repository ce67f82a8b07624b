"""`oversight token ...`: personal API tokens from the command line (for scripts set up by an
administrator). Exit status: 0 done, 1 refused (unknown or deactivated account, unknown token)."""

import typer

token_app = typer.Typer(help="Personal API tokens: create, list, revoke.", no_args_is_help=True)


def _session(what: str):
    from app.cli import command_session
    return command_session(what)


def _account(session, email: str, *, active: bool = True):
    from app.accounts import service
    from app.errors import NotFound

    try:
        user = service.user_by_email(session, email)
    except NotFound:
        typer.echo(f"Refused: no account with the e-mail address {email}.", err=True)
        raise typer.Exit(1) from None
    if active and not user.active:
        typer.echo(f"Refused: the account {user.email} is deactivated.", err=True)
        raise typer.Exit(1)
    return user


@token_app.command("create")
def token_create(
    email: str = typer.Option(..., "--email", help="The account the token acts for."),
    name: str = typer.Option("Command line", "--name", help="A label: what the token is for."),
) -> None:
    """Make a token and print it, alone on the last line (`| tail -1`). It is shown only now."""
    from app.api import tokens
    from app.errors import ValidationFailed

    with _session("token create") as session:
        user = _account(session, email)
        try:
            new = tokens.create_token(session, user, name)
        except ValidationFailed as exc:
            for field, message in exc.errors.items():
                typer.echo(f"Refused: {field}: {message}", err=True)
            raise typer.Exit(1) from None
        session.commit()
        typer.echo(f"Token {new.token.id} “{new.token.name}” for {user.email} "
                   f"({user.role.value}, clearance {user.clearance.name.lower()}). "
                   "It is shown this once:")
        typer.echo(new.secret)


@token_app.command("list")
def token_list(email: str = typer.Option(..., "--email", help="The account's e-mail.")) -> None:
    """List an account's live tokens (never the secrets: they are not stored)."""
    from app.api import tokens

    with _session("token list") as session:
        live = tokens.tokens_of(session, _account(session, email, active=False).id)
    typer.echo(f"{'ID':>6}  {'CREATED':<16}  {'LAST USED':<16}  LABEL")
    for token in live:
        used = token.last_used_at.strftime("%Y-%m-%d %H:%M") if token.last_used_at else "never"
        typer.echo(f"{token.id:>6}  {token.created_at.strftime('%Y-%m-%d %H:%M'):<16}  "
                   f"{used:<16}  {token.name}")


@token_app.command("revoke")
def token_revoke(token_id: int = typer.Argument(..., help="The token's id (`token list`).")):
    """Revoke a token: it stops working at once."""
    from app.api import tokens
    from app.errors import NotFound

    with _session("token revoke") as session:
        try:
            tokens.revoke_token(session, token_id)
        except NotFound:
            typer.echo(f"Refused: no token with the id {token_id}.", err=True)
            raise typer.Exit(1) from None
        session.commit()
    typer.echo(f"Revoked token {token_id}; it no longer works.")
