"""Imports and exports on a real PostgreSQL server, over HTTP."""

from pathlib import Path

from tests.imports.helpers import csv_bytes, programme_row

FILES = Path(__file__).parent / "files"


def _import(http, kind: str, name: str, content: bytes) -> str:
    location = http.post("/imports", data={"kind": kind},
                         files={"file": (name, content)}).headers["location"]
    assert http.post(f"{location}/commit").status_code == 303
    return http.get(location).text


def test_each_importer_and_the_round_trip_on_postgresql(pg_server, client_for):
    staff = client_for(pg_server, "staff")
    rows = [programme_row(), programme_row(funding_year="2022", classification="restricted")]
    assert "1 created" in _import(staff, "csv", "p.csv", csv_bytes(rows))
    assert "1 created" in _import(staff, "dip", "d.json",
                                  (FILES / "dip_drucksachen.json").read_bytes())
    assert "2 created" in _import(staff, "iati", "i.xml",
                                  (FILES / "iati_activities.xml").read_bytes())
    exported = staff.get("/exports/programmes.csv")
    assert 'programmes-restricted.csv' in exported.headers["content-disposition"]
    assert "0 created, 0 updated, 3 unchanged" in _import(staff, "csv", "again.csv",
                                                          exported.content)
    public = client_for(pg_server, "member").get("/exports/inquiries.json").json()
    assert public["marking"] == "public" and public["inquiries"][0]["reference"] == "19/5546"
