"""Reads a form out of a page the way a browser would submit it (no JavaScript)."""

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self, form_id_or_action: str):
        super().__init__(convert_charrefs=True)
        self.wanted = form_id_or_action
        self.inside = False
        self.fields: list[tuple[str, str]] = []
        self._select: str | None = None
        self._select_options: list[tuple[str, bool]] = []
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and self.wanted in (a.get("id"), a.get("action")):
            self.inside = True
        if not self.inside:
            return
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.fields.append((a["name"], a.get("value", "on")))
            elif kind not in ("submit", "button", "image", "reset", "file"):
                self.fields.append((a["name"], a.get("value", "")))
        elif tag == "select" and a.get("name"):
            self._select, self._select_options = a["name"], []
        elif tag == "option" and self._select is not None:
            self._select_options.append((a.get("value", ""), "selected" in a))
        elif tag == "textarea" and a.get("name"):
            self._textarea, self._text = a["name"], []

    def handle_data(self, data):
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "select" and self._select is not None:
            chosen = [v for v, selected in self._select_options if selected]
            first = self._select_options[0][0] if self._select_options else ""
            self.fields.append((self._select, chosen[0] if chosen else first))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            # A browser drops the one newline that follows <textarea>.
            self.fields.append((self._textarea, "".join(self._text).removeprefix("\n")))
            self._textarea = None


def form_fields(html: str, form: str) -> list[tuple[str, str]]:
    """The (name, value) pairs a browser would submit for the form with this id or action."""
    reader = _FormReader(form)
    reader.feed(html)
    return reader.fields


def with_values(fields: list[tuple[str, str]], **values) -> list[tuple[str, str]]:
    """`fields` with single-valued fields replaced (names with - given as __)."""
    changes = {k.replace("__", "-"): v for k, v in values.items()}
    kept = [(name, value) for name, value in fields if name not in changes]
    for name, value in changes.items():
        for item in value if isinstance(value, list) else [value]:
            kept.append((name, item))
    return kept


def as_dict(fields: list[tuple[str, str]]) -> dict[str, str | list[str]]:
    """httpx form data: repeated names become lists."""
    data: dict[str, list[str]] = {}
    for name, value in fields:
        data.setdefault(name, []).append(value)
    return {k: v if len(v) > 1 else v[0] for k, v in data.items()}
