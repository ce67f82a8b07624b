"""The programme CSV import: a clean file, a re-import, and every kind of bad input, each with
its specific message and nothing imported."""

import tracemalloc

from sqlmodel import select

from app.models import AuditEvent, Classification, FundingLine, Programme
from app.transfer.columns import COLUMNS
from app.transfer.plan import Action
from tests.imports.helpers import (
    commit, csv_bytes, preview, problems, programme_count, programme_row,
    write,
)

TWO_PROGRAMMES = [
    programme_row(),
    programme_row(funding_year="2023", funding_kind="disbursement", funding_amount="1250.50",
                  funding_note=""),
    programme_row(reference_code="E2I-MLI-1", title="E2I runway in Mali", instrument="E2I",
                  recipient_country="MLI", assistance_kinds="infrastructure", start_date="",
                  funding_year="", funding_kind="", funding_amount="", funding_currency="",
                  funding_note="", legal_basis="", implementing_bodies="", summary=""),
]


def test_a_clean_file_creates_programmes_with_their_funding_lines(tmp_path, db, empty_db):
    path = write(tmp_path, "register.csv", csv_bytes(TWO_PROGRAMMES))
    plan = preview(db, "csv", path)
    assert plan.summary() == "2 created, 0 updated, 0 unchanged, 0 skipped; 0 problems"
    assert programme_count(db) == (0, 0)  # a preview writes nothing

    assert not commit(db, "csv", path).refused
    mozambique = db.exec(select(Programme).where(Programme.reference_code ==
                                                 "EPF-MOZ-2021-2032")).one()
    lines = db.exec(select(FundingLine).where(FundingLine.programme_id == mozambique.id)
                    .order_by(FundingLine.year)).all()
    assert [(f.year, f.kind.value, f.amount_cents) for f in lines] == [
        (2021, "commitment", 4_000_000_000), (2023, "disbursement", 125_050)]
    mali = db.exec(select(Programme).where(Programme.reference_code == "E2I-MLI-1")).one()
    assert mali.recipient_country == "ML"  # given as alpha-3
    assert programme_count(db) == (2, 2)


def test_importing_the_same_file_again_changes_nothing(tmp_path, db, empty_db):
    path = write(tmp_path, "register.csv", csv_bytes(TWO_PROGRAMMES))
    commit(db, "csv", path)
    events = len(db.exec(select(AuditEvent.id)).all())
    plan = commit(db, "csv", path)
    assert plan.summary() == "0 created, 0 updated, 2 unchanged, 0 skipped; 0 problems"
    assert programme_count(db) == (2, 2)
    # Only the import run's own event is new: no record was touched.
    assert len(db.exec(select(AuditEvent.id)).all()) == events


def test_a_changed_amount_is_an_update_of_that_programme(tmp_path, db, empty_db):
    commit(db, "csv", write(tmp_path, "a.csv", csv_bytes(TWO_PROGRAMMES)))
    changed = [dict(TWO_PROGRAMMES[0], funding_amount="41000000"), *TWO_PROGRAMMES[1:]]
    plan = commit(db, "csv", write(tmp_path, "b.csv", csv_bytes(changed)))
    assert plan.count(Action.UPDATE) == 1 and plan.count(Action.UNCHANGED) == 1
    assert "changed: funding lines" in plan.samples[Action.UPDATE][0].description
    db.expire_all()
    amounts = sorted(f.amount_cents for f in db.exec(select(FundingLine)))
    assert amounts == [125_050, 4_100_000_000]


def refused(tmp_path, db, content: bytes, clearance=Classification.CONFIDENTIAL) -> list[str]:
    """Import `content`: it must be refused with nothing stored; its problems."""
    plan = commit(db, "csv", write(tmp_path, "bad.csv", content), clearance)
    assert plan.refused
    assert programme_count(db) == (0, 0)
    return problems(plan)


def test_a_missing_column_is_named(tmp_path, db, empty_db):
    columns = [c for c in COLUMNS if c != "funding_currency"]
    found = refused(tmp_path, db, csv_bytes(TWO_PROGRAMMES, columns=columns))
    assert found == ["line 1, funding_currency: The header lacks the column funding_currency. "
                     "Use the columns of the template (GET /imports/template.csv)."]


def test_a_semicolon_separated_file_is_refused_naming_its_separator(tmp_path, db, empty_db):
    found = refused(tmp_path, db, csv_bytes(TWO_PROGRAMMES, delimiter=";"))
    assert found == ["line 1: The columns are separated by semicolons; the import expects "
                     "commas. Save the file as “CSV UTF-8 (comma delimited)”."]


def test_a_tab_separated_file_is_refused_naming_its_separator(tmp_path, db, empty_db):
    found = refused(tmp_path, db, csv_bytes(TWO_PROGRAMMES, delimiter="\t"))
    assert "separated by tabs" in found[0]


def test_a_byte_order_mark_is_accepted(tmp_path, db, empty_db):
    path = write(tmp_path, "bom.csv", b"\xef\xbb\xbf" + csv_bytes(TWO_PROGRAMMES))
    assert commit(db, "csv", path).count(Action.CREATE) == 2


def test_latin1_bytes_are_refused_with_the_line(tmp_path, db, empty_db):
    rows = [*TWO_PROGRAMMES[:2], dict(TWO_PROGRAMMES[2], title="Ertüchtigung in Mali")]
    content = csv_bytes(rows).decode("utf-8").encode("latin-1")
    found = refused(tmp_path, db, content)
    assert len(found) == 1 and found[0].startswith("line 4: The file is not UTF-8")
    assert "Save it as UTF-8" in found[0]


def test_a_german_amount_is_refused_with_the_way_to_write_it(tmp_path, db, empty_db):
    rows = [dict(TWO_PROGRAMMES[0], funding_amount="1.000,50"), *TWO_PROGRAMMES[1:]]
    found = refused(tmp_path, db, csv_bytes(rows))
    assert found == ["line 2, funding_amount: Write “1.000,50” as 1000.50: a point for decimals "
                     "and no thousands separators."]


def test_unknown_instrument_country_and_status_are_each_named(tmp_path, db, empty_db):
    rows = [dict(TWO_PROGRAMMES[0], instrument="NATO"), TWO_PROGRAMMES[1],
            dict(TWO_PROGRAMMES[2], recipient_country="XY", status="ongoing")]
    found = refused(tmp_path, db, csv_bytes(rows))
    assert any(p.startswith("line 2, instrument: Unknown instrument “NATO”; use one of E2I, "
                            "EPF") for p in found)
    assert "line 3, instrument: Differs from line 2 of the same programme" in found[0]
    assert ("line 4, recipient_country: Unknown country “XY”; use an ISO 3166-1 code such as "
            "MZ or MOZ.") in found
    assert ("line 4, status: Unknown status “ongoing”; use planned, active, suspended, "
            "completed.") in found


def test_a_date_not_in_iso_form_is_refused(tmp_path, db, empty_db):
    rows = [dict(row, start_date="19.11.2021") for row in TWO_PROGRAMMES[:2]]
    found = refused(tmp_path, db, csv_bytes(rows))
    assert found == ["line 2, start_date: Enter a real date as YYYY-MM-DD, e.g. 2021-11-19."]


def test_a_marking_above_the_importers_clearance_is_refused(tmp_path, db, empty_db):
    rows = [TWO_PROGRAMMES[0], dict(TWO_PROGRAMMES[1], classification="restricted")]
    found = refused(tmp_path, db, csv_bytes(rows), Classification.PUBLIC)
    assert found == ["line 3, classification: You cannot import content marked restricted: it "
                     "is above your own clearance (public)."]


def test_a_duplicate_row_is_refused(tmp_path, db, empty_db):
    rows = [TWO_PROGRAMMES[0], TWO_PROGRAMMES[1], TWO_PROGRAMMES[0]]
    found = refused(tmp_path, db, csv_bytes(rows))
    assert found == ["line 4: Duplicate row: the same funding line (year, kind, currency and "
                     "note) as line 2."]


def test_rows_of_one_programme_apart_are_refused(tmp_path, db, empty_db):
    rows = [TWO_PROGRAMMES[0], TWO_PROGRAMMES[2], TWO_PROGRAMMES[1]]
    found = refused(tmp_path, db, csv_bytes(rows))
    assert found == ["line 4, reference_code: The rows of programme “EPF-MOZ-2021-2032” must be "
                     "next to each other; its first row is line 2."]


def test_one_bad_row_in_the_middle_imports_nothing(tmp_path, db, empty_db):
    rows = [programme_row(reference_code=f"P-{n}", funding_amount="abc" if n == 50 else "10")
            for n in range(100)]
    found = refused(tmp_path, db, csv_bytes(rows))
    assert found == ["line 52, funding_amount: Enter the amount as a number in whole currency "
                     "units, e.g. 40000000 or 1250.50 (a point for decimals; no currency sign)."]


def test_100000_rows_are_read_as_a_stream(tmp_path, db, empty_db):
    """20,000 programmes of five funding lines each: previewed in bounded memory."""
    path = tmp_path / "big.csv"
    with open(path, "wb") as out:
        out.write(csv_bytes([]))
        for n in range(20_000):
            out.write(csv_bytes([programme_row(reference_code=f"BIG-{n}", funding_year=str(
                2020 + year)) for year in range(5)])[len(",".join(COLUMNS)) + 2:])
    tracemalloc.start()
    plan = preview(db, "csv", path)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert plan.summary() == "20000 created, 0 updated, 0 unchanged, 0 skipped; 0 problems"
    assert peak < 60 * 1024 * 1024, f"peak {peak / 1024 / 1024:.0f} MB"
