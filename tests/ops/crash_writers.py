"""Clients that write through the real forms, signed in as staff, until the server dies; each
write the server acknowledged (303 and the new record's address) is noted."""

import re
import threading

import httpx

from tests.conftest import ACCOUNTS, http_client, sign_in
from tests.factories import programme_form
from tests.inquiries.inquiry_factories import inquiry_form
from tests.ops.crash_checks import Acknowledged

QUESTIONS = "1. Welche Einheiten?\n2. Welche Ausrüstung?\n3. Wurde evaluiert?"


class StopWriting(Exception):
    """An answer that was not the acknowledgement: the writer stops, the test fails."""


class Writer(threading.Thread):
    """Creates a programme (with its funding lines and source), a note on it and an inquiry
    about it (with its ministries and questions), over and over, until the server stops
    answering. Any answer but 303 while it still answers is a problem."""

    def __init__(self, url: str, name: str, acknowledged: list[Acknowledged],
                 problems: list[str]):
        super().__init__(daemon=True)
        self.label = name
        self.acknowledged, self.problems = acknowledged, problems
        self.cut_off = False  # by the server's death, in the middle of a request
        # Signed in before the writing starts, one writer after the other: sign-ins racing
        # for one account count against its throttle until one of them succeeds.
        self.http = sign_in(http_client(url), ACCOUNTS["staff"][0])

    def run(self) -> None:
        try:
            for number in range(10**6):
                self._write_once(self.http, f"{self.label}-{number}")
        except httpx.TransportError:
            self.cut_off = True  # the server was killed: the write in flight was not acknowledged
        except StopWriting:
            pass  # said in `problems`
        except Exception as exc:  # noqa: BLE001  (reported by the test, not lost in a thread)
            self.problems.append(f"{self.label}: {exc!r}")
        finally:
            self.http.close()

    def _write_once(self, http: httpx.Client, tag: str) -> None:
        programme = self._post(http, "/programmes", programme_form(
            reference_code=f"EPF-CRASH-{tag}", title=f"Crash test programme {tag}"),
            "programme", r"/programmes/(\d+)")
        self._post(http, f"/programmes/{programme}/notes", {
            "title": f"Note {tag}", "body": "Written while the server may die.",
            "classification": "public"}, "note", rf"/programmes/{programme}#note-(\d+)")
        self._post(http, "/inquiries", inquiry_form(
            reference=f"Drucksache 99/{tag}", title=f"Crash test inquiry {tag}",
            questions=QUESTIONS), "inquiry", r"/inquiries/(\d+)")

    def _post(self, http: httpx.Client, path: str, form: dict, kind: str, location: str) -> int:
        response = http.post(path, data=form)
        found = re.fullmatch(location, response.headers.get("location", ""))
        if response.status_code != 303 or not found:
            self.problems.append(f"{path}: {response.status_code} {response.text[:300]}")
            raise StopWriting(path)
        record_id = int(found.group(1))
        self.acknowledged.append(Acknowledged(kind, record_id))
        return record_id
