"""Bundestag DIP JSON: a Kleine Anfrage and its Antwort become an inquiry with items, ministries
and its answer; a re-import changes nothing; a file of the wrong shape is refused, naming what
was expected."""

import json
from pathlib import Path

from sqlmodel import select

from app.models import Answer, AnswerItem, Classification, ExternalId, Inquiry, InquiryItem
from app.transfer.plan import Action
from tests.imports.helpers import commit, preview, problems, write

FIXTURE = Path(__file__).parent / "files" / "dip_drucksachen.json"


def test_a_drucksache_list_becomes_an_inquiry_with_items_and_its_answer(tmp_path, db, empty_db):
    plan = preview(db, "dip", FIXTURE)
    assert plan.summary() == "1 created, 0 updated, 0 unchanged, 1 skipped; 0 problems"
    assert "a Beschlussempfehlung und Bericht" in plan.samples[Action.SKIP][0].description
    assert not commit(db, "dip", FIXTURE).refused

    inquiry = db.exec(select(Inquiry)).one()
    assert (inquiry.reference, inquiry.faction, inquiry.submitted_on.isoformat()) == (
        "19/5546", "DIE LINKE", "2018-11-07")
    assert inquiry.asked_by == "Andrej Hunko, Heike Hänsel"
    assert inquiry.preamble.startswith("Die Bundesregierung unterstützt Tunesien")
    items = db.exec(select(InquiryItem).order_by(InquiryItem.number)).all()
    assert [i.number for i in items] == [1, 2, 3]
    answer = db.exec(select(Answer)).one()
    assert (answer.reference, answer.received_on.isoformat()) == ("19/6338", "2018-12-07")
    texts = sorted(a.text for a in db.exec(select(AnswerItem)))
    assert "Die Grenzüberwachung wurde verbessert." in texts and len(texts) == 3
    sources = {(e.source, e.external_id) for e in db.exec(select(ExternalId))}
    assert sources == {("dip", "900001"), ("dip", "900002"), ("dip-vorgang", "241210")}


def test_importing_the_same_file_again_changes_nothing(tmp_path, db, empty_db):
    commit(db, "dip", FIXTURE)
    plan = commit(db, "dip", FIXTURE)
    assert plan.summary() == "0 created, 0 updated, 1 unchanged, 1 skipped; 0 problems"
    assert len(db.exec(select(Inquiry)).all()) == 1


def test_an_answer_imported_later_joins_its_inquiry(tmp_path, db, empty_db):
    document = json.loads(FIXTURE.read_text())
    question, answer = document["documents"][:2]
    commit(db, "dip", write(tmp_path, "q.json", json.dumps(question)))
    assert db.exec(select(Answer)).first() is None
    plan = commit(db, "dip", write(tmp_path, "a.json", json.dumps([answer])))
    assert plan.count(Action.UPDATE) == 1, problems(plan)
    db.expire_all()
    assert db.exec(select(Answer)).one().reference == "19/6338"


def test_a_file_of_the_wrong_shape_names_what_was_expected(tmp_path, db, empty_db):
    plan = commit(db, "dip", write(tmp_path, "x.json", '{"results": [], "total": 0}'))
    assert problems(plan) == [
        'file: Expected a DIP API response: a list of Drucksachen ({"numFound": …, "documents": '
        '[…], "cursor": …} from /api/v1/drucksache or /drucksache-text), one Drucksache '
        '({"typ": "Dokument", "dokumentart": "Drucksache", …}) or an array of them; found an '
        'object with the fields results, total.']


def test_a_list_of_vorgaenge_is_refused_with_what_to_fetch_instead(tmp_path, db, empty_db):
    vorgaenge = {"numFound": 1, "cursor": "x", "documents": [
        {"id": "241210", "typ": "Vorgang", "vorgangstyp": "Kleine Anfrage", "wahlperiode": 19,
         "titel": "Evaluation", "aktualisiert": "2022-07-26T19:15:12+02:00"}]}
    plan = commit(db, "dip", write(tmp_path, "v.json", json.dumps(vorgaenge)))
    assert "Fetch the Drucksachen of these Vorgänge" in problems(plan)[0]


def test_text_that_is_not_json_is_refused_with_the_place(tmp_path, db, empty_db):
    plan = commit(db, "dip", write(tmp_path, "x.json", '{"documents": [}'))
    assert problems(plan)[0].startswith("file: The file is not JSON: Expecting value at line 1")


def test_an_unknown_ministry_refuses_the_whole_file(tmp_path, db, empty_db):
    document = json.loads(FIXTURE.read_text())
    document["documents"][1]["ressort"][1]["titel"] = "Bundesministerium für Weltraum"
    plan = commit(db, "dip", write(tmp_path, "m.json", json.dumps(document)))
    assert problems(plan) == [
        "record 1 (Drucksache 19/5546), ressort: Unknown ministry “Bundesministerium für "
        "Weltraum”; the register knows AA, BK, BMF, BMI, BMJV, BMVg, BMWE, BMZ."]
    assert db.exec(select(Inquiry)).first() is None


def test_a_question_without_a_number_is_refused(tmp_path, db, empty_db):
    document = json.loads(FIXTURE.read_text())
    del document["documents"][0]["dokumentnummer"]
    plan = commit(db, "dip", write(tmp_path, "n.json", json.dumps(document)))
    assert "The Drucksache lacks “dokumentnummer”." in problems(plan)[0]
    assert db.exec(select(Inquiry)).first() is None


def test_an_inquiry_marked_higher_since_keeps_its_marking_on_reimport(db, empty_db):
    commit(db, "dip", FIXTURE)
    inquiry = db.exec(select(Inquiry)).one()
    inquiry.classification = Classification.RESTRICTED
    db.commit()
    plan = commit(db, "dip", FIXTURE, Classification.RESTRICTED)
    assert plan.count(Action.UNCHANGED) == 1, problems(plan)
    db.expire_all()
    assert db.exec(select(Inquiry)).one().classification == Classification.RESTRICTED


def test_a_list_field_of_another_shape_is_refused_naming_it(tmp_path, db, empty_db):
    document = json.loads(FIXTURE.read_text())
    document["documents"][0]["vorgangsbezug"] = 241210
    document["documents"][0]["urheber"] = "Fraktion DIE LINKE"
    plan = commit(db, "dip", write(tmp_path, "v.json", json.dumps(document)))
    assert problems(plan)[:2] == [
        "record 1 (Drucksache 19/5546), vorgangsbezug: Expected a list of objects, as DIP "
        "gives it; found a JSON int.",
        "record 1 (Drucksache 19/5546), urheber: Expected a list of objects, as DIP gives it; "
        "found a JSON str."]
    assert db.exec(select(Inquiry)).first() is None


def test_json_nested_without_end_or_with_endless_numbers_is_refused(tmp_path, db, empty_db):
    for name, text in (("deep.json", "[" * 100_000 + "]" * 100_000),
                       ("digits.json", "[" + "1" * 5000 + "]")):
        found = problems(commit(db, "dip", write(tmp_path, name, text)))
        assert len(found) == 1 and found[0].startswith("file: The file is not JSON DIP gives: ")
