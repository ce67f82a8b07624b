"""No lost updates: a save over a newer version is refused, with the saver's input kept."""

import re

from sqlmodel import select

from app.models import Programme, ProgrammeNote, User
from tests.factories import edit_form, programme_form


def test_second_save_of_a_programme_is_refused_and_nothing_is_lost(client, client_for, server, db):
    location = client.post("/programmes", data=programme_form()).headers["location"]
    other = client_for(server, "admin")
    first = edit_form(client, location, title="Title from the clerk")
    second = edit_form(other, location, title="Title from the administrator",
                       summary="A long summary the administrator typed.")

    assert client.post(f"{location}/edit", data=first).status_code == 303
    refused = other.post(f"{location}/edit", data=second)

    assert refused.status_code == 409
    assert re.search(r"This record was changed by staff at \d{4}-\d\d-\d\d \d\d:\d\d UTC since "
                     r"you opened it", refused.text)
    assert 'value="Title from the administrator"' in refused.text       # input kept
    assert "A long summary the administrator typed." in refused.text
    programme_id = int(location.rsplit("/", 1)[1])
    db.expire_all()
    assert db.get(Programme, programme_id).title == "Title from the clerk"  # first save stands

    # The refused form now carries the current version: saving again is a deliberate overwrite.
    version = re.search(r'name="version" value="(\d+)"', refused.text).group(1)
    assert other.post(f"{location}/edit", data=dict(second, version=version)).status_code == 303
    db.expire_all()
    assert db.get(Programme, programme_id).title == "Title from the administrator"


def test_second_save_of_a_note_is_refused(client, client_for, server, db):
    location = client.post("/programmes", data=programme_form()).headers["location"]
    client.post(f"{location}/notes", data={"title": "Assessment", "body": "v1",
                                           "classification": "restricted"})
    note = db.exec(select(ProgrammeNote)).one()
    url = f"{location}/notes/{note.id}/edit"
    other = client_for(server, "admin")
    opened = {"title": "Assessment", "classification": "restricted", "version": str(note.version)}
    assert client.post(url, data=dict(opened, body="clerk's text")).status_code == 303
    refused = other.post(url, data=dict(opened, body="administrator's text"))
    assert refused.status_code == 409
    assert "changed by staff" in refused.text and "administrator&#39;s text" in refused.text
    db.expire_all()
    assert db.get(ProgrammeNote, note.id).body == "clerk's text"


def test_second_save_of_an_account_is_refused(client_for, server, db):
    admin = client_for(server, "admin")
    target = db.exec(select(User).where(User.email == "mp@test.example")).one()
    url = f"/admin/users/{target.id}/edit"
    opened = {"email": target.email, "name": target.name, "role": "member",
              "clearance": "public", "version": str(target.version)}
    assert admin.post(url, data=dict(opened, clearance="restricted")).status_code == 303
    refused = admin.post(url, data=dict(opened, name="Someone else"))
    assert refused.status_code == 409
    assert "since you opened it" in refused.text and 'value="Someone else"' in refused.text
    db.expire_all()
    assert db.get(User, target.id).name == target.name
