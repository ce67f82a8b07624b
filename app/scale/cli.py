"""The `oversight benchmark load` command's options."""

from pathlib import Path

import typer


def benchmark_load(
    programmes: int = typer.Option(5_000, min=1, max=100_000, help="Programmes to build."),
    inquiries: int = typer.Option(100_000, min=10, max=2_000_000, help="Inquiries to build."),
    items: int = typer.Option(500_000, min=10, max=20_000_000,
                              help="Questions over all inquiries (most with an answer)."),
    clients: int = typer.Option(20, min=1, max=500, help="Concurrent signed-in readers."),
    duration: float = typer.Option(60, min=1, max=3600, help="Seconds of load."),
    think: float = typer.Option(0, min=0, max=60, help="Mean pause of a reader between "
                                "pages, in seconds (0: ask again at once)."),
    workers: int = typer.Option(2, min=1, max=64, help="Server processes."),
    reuse: Path = typer.Option(None, "--reuse", help="An SQLite file built by an earlier run "
                               "(kept with --folder) to serve instead of building one."),
    folder: Path = typer.Option(None, "--folder", help="Where to build the database and keep "
                                "it (default: a temporary folder, deleted afterwards)."),
    database_url: str = typer.Option("", "--database-url", help="A PostgreSQL database to "
                                     "use instead of SQLite: filled if empty, else reused."),
) -> None:
    """Serve a register of PROGRAMMES programmes and INQUIRIES inquiries with ITEMS questions
    to CLIENTS concurrent signed-in readers for DURATION seconds; print requests per second,
    each page's p50/p95/p99 latency and errors, and the server's peak memory."""
    from app.scale.load import run

    if reuse is not None and not reuse.is_file():
        typer.echo(f"No database file at {reuse}.", err=True)
        raise typer.Exit(1)
    run(programmes=programmes, inquiries=inquiries, items=max(1, items // inquiries),
        clients=clients, duration=duration, think=think, workers=workers, reuse=reuse,
        folder=folder, database_url=database_url or None, echo=typer.echo)
