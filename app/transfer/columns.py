"""The programme CSV: one column set shared by the import, the export and the template file.

One row per funding line, the programme's columns repeated on each; a programme without
funding is one row with the funding columns empty. `classification` is the marking of the row's
funding line; the programme's marking is the lowest on its rows (a row with empty funding
columns carries the programme's marking alone).
"""

import csv
import io

from app.models import Classification, FundingLine, Programme

PROGRAMME_COLUMNS = (
    "reference_code", "title", "instrument", "recipient_country", "status", "start_date",
    "end_date", "assistance_kinds", "recipient_units", "legal_basis", "implementing_bodies",
    "summary", "classification",
)
FUNDING_COLUMNS = ("funding_year", "funding_kind", "funding_amount", "funding_currency",
                   "funding_note")
COLUMNS = PROGRAMME_COLUMNS + FUNDING_COLUMNS
KIND_SEPARATOR = ";"

EXAMPLE_ROW = {
    "reference_code": "EPF-MOZ-2021-2032",
    "title": "EPF assistance measure for units trained by EUTM Mozambique",
    "instrument": "EPF", "recipient_country": "MZ", "status": "active",
    "start_date": "2021-11-19", "end_date": "", "assistance_kinds": "non_lethal_equipment;training",
    "recipient_units": "Quick Reaction Force companies", "legal_basis":
    "Council Decision (CFSP) 2021/2032", "implementing_bodies": "idD Portugal Defence",
    "summary": "Non-lethal equipment and a field hospital.", "classification": "public",
    "funding_year": "2021", "funding_kind": "commitment", "funding_amount": "40000000.00",
    "funding_currency": "EUR", "funding_note": "Council Decision (CFSP) 2021/2032",
}


def amount_text(cents: int) -> str:
    """Cents as the import reads them: whole units, a point and two decimals where needed."""
    units, rest = divmod(cents, 100)
    return f"{units}.{rest:02d}" if rest else str(units)


def programme_rows(programme: Programme) -> list[dict[str, str]]:
    """The rows of one programme (its instrument, kinds and visible funding lines loaded)."""
    base = {
        "reference_code": programme.reference_code, "title": programme.title,
        "instrument": programme.instrument.code,
        "recipient_country": programme.recipient_country, "status": programme.status.value,
        "start_date": programme.start_date.isoformat() if programme.start_date else "",
        "end_date": programme.end_date.isoformat() if programme.end_date else "",
        "assistance_kinds": KIND_SEPARATOR.join(sorted(k.kind.value for k in programme.kinds)),
        "recipient_units": programme.recipient_units, "legal_basis": programme.legal_basis,
        "implementing_bodies": programme.implementing_bodies, "summary": programme.summary,
    }
    blank = dict.fromkeys(FUNDING_COLUMNS, "")
    rows = []
    if not any(line.classification == programme.classification
               for line in programme.funding_lines):
        rows.append({**base, "classification": _marking(programme.classification), **blank})
    rows.extend({**base, "classification": _marking(line.classification), **_funding(line)}
                for line in programme.funding_lines)
    return rows


def _funding(line: FundingLine) -> dict[str, str]:
    return {"funding_year": str(line.year), "funding_kind": line.kind.value,
            "funding_amount": amount_text(line.amount_cents), "funding_currency": line.currency,
            "funding_note": line.note}


def _marking(level: Classification) -> str:
    return level.name.lower()


def csv_text(rows: list[dict[str, str]], *, header: bool = False,
             fieldnames: tuple[str, ...] = COLUMNS) -> str:
    """Rows as CSV text (with the header row first if asked), as the export streams them."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fieldnames, lineterminator="\r\n")
    if header:
        writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def template_csv() -> str:
    return csv_text([EXAMPLE_ROW], header=True)
