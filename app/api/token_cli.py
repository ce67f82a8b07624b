"""`oversight token ...`: personal API tokens from the command line (for scripts set up by an
administrator). Exit status: 0 done, 1 refused (unknown or deactivated account, unknown token)."""

import typer

from app.commands import account, command_session, refuse, refuse_problems

token_app = typer.Typer(help="Personal API tokens: create, list, revoke.", no_args_is_help=True)


@token_app.command("create")
def token_create(
    email: str = typer.Option(..., "--email", help="The account the token acts for."),
    name: str = typer.Option("Command line", "--name", help="A label: what the token is for."),
) -> None:
    """Make a token and print it, alone on the last line (`| tail -1`). It is shown only now."""
    from app.api import tokens
    from app.errors import ValidationFailed

    with command_session("token create") as session:
        user = account(session, email, active=True)
        try:
            new = tokens.create_token(session, user, name)
        except ValidationFailed as exc:
            refuse_problems(exc.errors)
        session.commit()
        typer.echo(f"Token {new.token.id} “{new.token.name}” for {user.email} "
                   f"({user.role.value}, clearance {user.clearance.name.lower()}). "
                   "It is shown this once:")
        typer.echo(new.secret)


@token_app.command("list")
def token_list(email: str = typer.Option(..., "--email", help="The account's e-mail.")) -> None:
    """List an account's live tokens (never the secrets: they are not stored)."""
    from app.api import tokens

    with command_session("token list") as session:
        live = tokens.tokens_of(session, account(session, email).id)
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

    with command_session("token revoke") as session:
        try:
            tokens.revoke_token(session, token_id)
        except NotFound:
            refuse(f"no token with the id {token_id}.")
        session.commit()
    typer.echo(f"Revoked token {token_id}; it no longer works.")
