"""The `oversight backup` and `oversight restore` commands (app.ops.backup, app.ops.restore).

Exit status: 0 done, 1 refused or failed (the message says why; nothing was changed), 2 usage."""

from pathlib import Path

import typer

from app.commands import refuse
from app.config import Settings


def backup(
    output: Path = typer.Option(None, "-o", "--output", help="The archive to write (default: "
                                "oversight-backup-<UTC time>.tar.gz here; a name ending in .tar "
                                "is not compressed)."),
) -> None:
    """Write one archive of the database and every stored file (attachments, briefs and
    dossiers, pending imports), readable by its owner only. Safe while the service runs."""
    from app.ops.archive import ArchiveRefused
    from app.ops.backup import default_name, take_backup

    try:
        summary = take_backup(Settings(), output or Path(default_name()))
    except (ArchiveRefused, OSError) as exc:
        refuse(f"no backup written: {exc}")
    typer.echo(f"Wrote {summary.path}: {summary.database} database at revision "
               f"{summary.revision} and {summary.files} stored file"
               f"{'s' if summary.files != 1 else ''}, {summary.size_bytes / 1024 / 1024:.1f} MB.")


def restore(
    archive: Path = typer.Argument(..., help="An archive written by `oversight backup`."),
    force: bool = typer.Option(False, "--force", help="Replace a database and data folder "
                               "that already hold records."),
) -> None:
    """Replace the database and the stored files by those of ARCHIVE, after checking every
    checksum. Stop the service first. An older archive is upgraded to this version's schema."""
    from app.ops.archive import ArchiveRefused
    from app.ops.restore import restore as restore_archive

    try:
        restored = restore_archive(Settings(), archive, force=force)
    except (ArchiveRefused, OSError) as exc:
        refuse(f"{exc}. Nothing was restored." if "was restored" not in str(exc) else str(exc))
    typer.echo(f"Restored the backup of {restored.created_at}: database at revision "
               f"{restored.revision} and {restored.files} stored file"
               f"{'s' if restored.files != 1 else ''}.")
    if restored.upgraded_to:
        typer.echo(f"Upgraded the database from {restored.revision} to {restored.upgraded_to}.")
