"""IATI activity XML 2.03: activities become programmes with country, dates, status,
implementing organisations, sectors and funding from transactions; parsed safely."""

from pathlib import Path

from sqlmodel import select

from app.models import Classification, ExternalId, FundingLine, Programme, ProgrammeStatus
from app.transfer.plan import Action
from tests.imports.helpers import commit, preview, problems, programme_count, write

FIXTURE = Path(__file__).parent / "files" / "iati_activities.xml"


def test_activities_become_programmes_with_funding_from_transactions(db, empty_db):
    plan = commit(db, "iati", FIXTURE)
    assert plan.summary() == "2 created, 0 updated, 0 unchanged, 0 skipped; 0 problems"
    mozambique = db.exec(select(Programme).where(
        Programme.reference_code == "XX-EXAMPLE-EPF-2021-2032")).one()
    assert (mozambique.recipient_country, mozambique.status, str(mozambique.start_date)) == (
        "MZ", ProgrammeStatus.ACTIVE, "2021-11-19")
    assert mozambique.implementing_bodies == ("Portuguese Ministry of National Defence "
                                              "(via idD Portugal Defence)")
    assert "IATI sectors: 15210 (vocabulary 1, 100 %)" in mozambique.summary
    lines = db.exec(select(FundingLine).where(FundingLine.programme_id == mozambique.id)
                    .order_by(FundingLine.year)).all()
    # Disbursements of one year are summed; expenditure (type 4) is not funding.
    assert [(f.year, f.kind.value, f.amount_cents, f.currency) for f in lines] == [
        (2021, "commitment", 4_000_000_000, "EUR"), (2022, "disbursement", 1_500_000_050, "EUR")]
    niger = db.exec(select(Programme).where(
        Programme.reference_code == "XX-EXAMPLE-EPF-NIGER-2022")).one()
    assert (niger.recipient_country, niger.status, str(niger.end_date)) == (
        "NE", ProgrammeStatus.SUSPENDED, "2025-07-17")
    assert niger.implementing_bodies == "Extending agency"
    assert {e.external_id for e in db.exec(select(ExternalId))} == {
        "XX-EXAMPLE-EPF-2021-2032", "XX-EXAMPLE-EPF-NIGER-2022"}


def test_importing_the_same_file_again_changes_nothing(db, empty_db):
    commit(db, "iati", FIXTURE)
    plan = commit(db, "iati", FIXTURE)
    assert plan.summary() == "0 created, 0 updated, 2 unchanged, 0 skipped; 0 problems"
    assert programme_count(db) == (2, 3)


def test_a_changed_status_updates_and_keeps_what_the_committee_set(tmp_path, db, empty_db):
    commit(db, "iati", FIXTURE)
    niger = db.exec(select(Programme).where(
        Programme.reference_code == "XX-EXAMPLE-EPF-NIGER-2022")).one()
    niger.legal_basis = "Council Decision (CFSP) 2022/1270"
    db.commit()
    changed = FIXTURE.read_text().replace('<activity-status code="6"/>',
                                          '<activity-status code="4"/>')
    plan = commit(db, "iati", write(tmp_path, "changed.xml", changed))
    assert plan.count(Action.UPDATE) == 1, problems(plan)
    db.expire_all()
    niger = db.get(Programme, niger.id)
    assert niger.status == ProgrammeStatus.COMPLETED
    assert niger.legal_basis == "Council Decision (CFSP) 2022/1270"


def refused(tmp_path, db, text: str) -> list[str]:
    plan = commit(db, "iati", write(tmp_path, "bad.xml", text))
    assert plan.refused and programme_count(db) == (0, 0)
    return problems(plan)


def test_a_doctype_is_refused(tmp_path, db, empty_db):
    text = FIXTURE.read_text().replace('<iati-activities version="2.03"',
                                       '<!DOCTYPE iati-activities>\n<iati-activities '
                                       'version="2.03"', 1)
    assert refused(tmp_path, db, text)[0].startswith("file: The file has a DOCTYPE declaration")


def test_an_external_entity_is_refused_and_never_read(tmp_path, db, empty_db):
    text = ('<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
            '\n<iati-activities version="2.03"><iati-activity><iati-identifier>&secret;'
            '</iati-identifier></iati-activity></iati-activities>')
    found = refused(tmp_path, db, text)
    assert "root:" not in " ".join(found) and found[0].startswith("file: The file has a DOCTYPE")


def test_an_entity_expansion_bomb_is_refused(tmp_path, db, empty_db):
    entities = '<!ENTITY a0 "lol">' + "".join(
        f'<!ENTITY a{n} "{f"&a{n - 1};" * 10}">' for n in range(1, 10))
    text = (f'<?xml version="1.0"?>\n<!DOCTYPE lolz [{entities}]>\n<iati-activities '
            'version="2.03"><iati-activity><iati-identifier>&a9;</iati-identifier>'
            '</iati-activity></iati-activities>')
    assert refused(tmp_path, db, text)[0].startswith("file: The file has a DOCTYPE")


def test_version_1_is_refused_naming_the_version(tmp_path, db, empty_db):
    text = FIXTURE.read_text().replace('version="2.03"', 'version="1.05"', 1)
    assert refused(tmp_path, db, text) == [
        "file, version: IATI version 1.05 is not supported: its codes differ. Export the "
        "activities as IATI 2.03."]


def test_version_1_codes_in_a_2_file_are_named(tmp_path, db, empty_db):
    text = (FIXTURE.read_text().replace('<transaction-type code="2"/>',
                                        '<transaction-type code="C"/>', 1)
            .replace('type="1" iso-date', 'type="start-planned" iso-date'))
    found = refused(tmp_path, db, text)
    assert ("activity 1 (XX-EXAMPLE-EPF-2021-2032), activity-date: Unknown activity-date "
            "type “start-planned” (IATI 1.x used words such as start-planned; 2.03 uses 1 to "
            "4).") in found
    assert any("transaction 1, transaction-type: Unknown transaction type “C”" in p for p in found)


def test_an_unknown_status_code_refuses_the_whole_file(tmp_path, db, empty_db):
    text = FIXTURE.read_text().replace('<activity-status code="6"/>',
                                       '<activity-status code="9"/>')
    assert refused(tmp_path, db, text) == [
        "activity 2 (XX-EXAMPLE-EPF-NIGER-2022), activity-status: Unknown activity-status code "
        "“9”; IATI 2.03 uses 1 to 6."]


def test_a_file_that_is_not_iati_names_what_was_expected(tmp_path, db, empty_db):
    assert refused(tmp_path, db, "<rss version='2.0'/>") == [
        'file: Expected an IATI activity file (<iati-activities version="2.03">); found <rss>.']


def test_numbers_that_are_not_finite_are_refused_not_a_server_error(tmp_path, db, empty_db):
    text = (FIXTURE.read_text().replace(">40000000<", ">sNaN<", 1)
            .replace('percentage="80"', 'percentage="NaN"', 1))
    found = refused(tmp_path, db, text)
    assert ("activity 1 (XX-EXAMPLE-EPF-2021-2032), transaction 1, value: A transaction needs "
            "a date (YYYY-MM-DD), a currency (or the activity's default-currency) and a "
            "value.") in found
    assert len(found) == 1  # the NaN share counts as none: Niger's 20 % share does not win


def test_an_activity_held_above_the_importers_clearance_is_refused_in_the_preview(db, empty_db):
    commit(db, "iati", FIXTURE)
    niger = db.exec(select(Programme).where(
        Programme.reference_code == "XX-EXAMPLE-EPF-NIGER-2022")).one()
    niger.classification = Classification.RESTRICTED
    db.commit()
    plan = preview(db, "iati", FIXTURE, Classification.PUBLIC)
    # The words of the programme form and the CSV import: nothing more than they tell.
    assert problems(plan) == [
        "activity 2 (XX-EXAMPLE-EPF-NIGER-2022), iati-identifier: Another programme already "
        "has the reference code “XX-EXAMPLE-EPF-NIGER-2022”."]
    assert plan.count(Action.CREATE) == 0
