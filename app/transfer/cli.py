"""The `oversight import` and `oversight export` commands.

import: exit 0 imported (or a clean dry run), 1 refused (problems, unreadable file, unknown
account), 2 usage. export: exit 0 written, 1 refused.
"""

import enum
import sys
from pathlib import Path

import typer

from app.commands import ClearanceChoice, account, command_session, refuse
from app.config import Settings
from app.models import ImportKind
from app.transfer.exports import DATASETS, FORMATS

# The exports' own names, as choices the command line checks (exit 2 for another).
DatasetChoice = enum.Enum("DatasetChoice", [(name, name) for name in DATASETS], type=str)
FormatChoice = enum.Enum("FormatChoice", [(name, name) for name in FORMATS], type=str)


def import_file(
    kind: ImportKind = typer.Argument(..., help="csv (programmes and funding lines), dip "
                                      "(Bundestag DIP JSON) or iati (IATI activity XML 2.03)."),
    file: Path = typer.Argument(..., help="The file to import."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Show the plan and every problem; "
                                 "import nothing."),
    as_email: str = typer.Option("", "--as", help="Import as this staff account (its "
                                 "clearance and name in the audit trail); default: the system."),
) -> None:
    """Import a file: print the plan (created, updated, unchanged, skipped) and every problem
    with its line and field. All or nothing: a file with any problem imports nothing."""
    from app.audit.recorder import Actor, set_actor
    from app.clearance import set_reader_clearance
    from app.errors import ValidationFailed
    from app.models import Classification
    from app.transfer import service

    settings = Settings()
    if not file.is_file():
        refuse(f"cannot read {file}: no such file.")
    try:
        service.check_size(file, settings.max_import_mb * 1024 * 1024)
    except ValidationFailed as exc:
        refuse(exc.errors["file"])
    with command_session(f"import {kind.value}") as session:
        clearance, user_id, name = Classification.CONFIDENTIAL, None, "command line"
        if as_email:
            user = _editor(session, as_email)
            clearance, user_id, name = user.clearance, user.id, user.name
            set_reader_clearance(session, clearance)
            set_actor(session, Actor(user.id, f"{user.name} (command line)"))
        try:
            plan = (service.preview if dry_run else service.commit)(
                session, kind, file, clearance)
        except service.PlanChanged as exc:
            session.rollback()
            plan = exc.plan
        typer.echo(f"{file.name}: {plan.summary()}")
        for problem in plan.problems:
            typer.echo(f"  {problem}")
        if plan.problem_count > len(plan.problems):
            typer.echo(f"  … and {plan.problem_count - len(plan.problems)} more problems")
        if plan.refused:
            session.rollback()
            refuse("nothing was imported.")
        if dry_run:
            typer.echo("Dry run: nothing was imported.")
            return
        service.record_run(session, kind, file, user_id, name, plan)
        session.commit()
    typer.echo("Imported.")


def _editor(session, email: str):
    user = account(session, email)
    if not user.active or not user.role.can_edit:
        refuse(f"{email} may not change records (an active staff or admin account may).")
    return user



def export_data(
    dataset: DatasetChoice = typer.Argument(..., help="programmes, inquiries or answers."),
    file_format: FormatChoice = typer.Option(..., "--format", help="csv or json."),
    clearance: ClearanceChoice = typer.Option(
        ..., "--clearance", case_sensitive=False,
        help="Who the file is for: public, restricted or confidential. Content above it is left "
        "out."),
    output: Path | None = typer.Option(None, "-o", "--output", help="The file to write "
                                       "(default: standard output)."),
) -> None:
    """Write programmes, inquiries or answers as CSV or JSON, as a reader with CLEARANCE would
    get them (the programme CSV has the import's columns)."""
    from app.clearance import set_reader_clearance
    from app.files import write_private
    from app.models import Classification
    from app.transfer.exports import export

    with command_session("export") as session:
        set_reader_clearance(session, Classification.parse(clearance.value))
        made = export(session, dataset.value, file_format.value)
        if output is None:
            for chunk in made.chunks:
                sys.stdout.write(chunk)
            return
        try:
            write_private(output, (chunk.encode("utf-8") for chunk in made.chunks))
        except OSError as exc:
            refuse(f"cannot write {output}: {exc.strerror}.")
    typer.echo(f"Wrote {output}: {dataset.value} as {file_format.value}, marked "
               f"{made.marking.marking}.", err=True)
