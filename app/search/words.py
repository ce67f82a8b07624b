"""Words of German and English text: tokens, their stems, the words of a query, and the
highlighting of those words in a title or a snippet.

Both languages are stemmed (Snowball) and both stems are kept, so "Endverbleibskontrollen" meets
"Endverbleibskontrolle", "controls" meets "control" and "Malis" meets "Mali", whichever language
the text is in. Letters are folded (lower case, no diacritics) first, as FTS5's `unicode61
remove_diacritics 2` tokenizer does, so "Übergabe" and "Ubergabe" are one word.
"""

import re
import threading
import unicodedata
from functools import lru_cache

import snowballstemmer
from markupsafe import Markup, escape

# A word is a run of letters and digits, as FTS5's unicode61 tokenizer sees it.
TOKEN = re.compile(r"[^\W_]+")
MAX_QUERY_CHARS = 500
MAX_QUERY_WORDS = 12
MAX_WORD_CHARS = 60
# The last word typed is also matched as the start of a word, once it is this long.
MIN_PREFIX_CHARS = 2
SNIPPET_CHARS = 260


def _fold_char(char: str) -> str:
    base = unicodedata.normalize("NFD", char)[0].lower()
    return base if len(base) == 1 else char


# Same-length folding (one character for one), so positions in the folded text are positions in
# the original: what highlighting needs. Latin letters cover German and English.
_SAME_LENGTH = {code: _fold_char(chr(code)) for code in (*range(0x41, 0x5B), *range(0xC0, 0x250))}


def fold_in_place(text: str) -> str:
    return text.translate(_SAME_LENGTH)


def fold(word: str) -> str:
    """Lower case without diacritics; ß becomes ss (as the German stemmer expects)."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


class _Stemmers(threading.local):
    """Snowball stemmers keep state while they work: one pair per thread."""

    def __init__(self):
        self.german = snowballstemmer.stemmer("german")
        self.english = snowballstemmer.stemmer("english")


_stemmers = _Stemmers()


@lru_cache(maxsize=200_000)
def stems(word: str) -> tuple[str, ...]:
    """The German and the English stem of a folded word (one if they agree)."""
    german = _stemmers.german.stemWord(word)
    english = _stemmers.english.stemWord(word)
    return (german,) if german == english else (german, english)


def stems_of(text: str) -> str:
    """Every word of `text` as its stems, in order: what the SQLite index holds."""
    return " ".join(" ".join(stems(w)) for w in TOKEN.findall(fold(text)))


def query_words(query: str) -> list[str]:
    """The words of what a person typed, folded; everything else (quotes, operators, NUL bytes,
    punctuation) is dropped, so nothing typed can change the meaning of the search itself."""
    words = TOKEN.findall(fold(query[:MAX_QUERY_CHARS]))
    return [w[:MAX_WORD_CHARS] for w in words[:MAX_QUERY_WORDS]]


def fts5_match(words: list[str]) -> str:
    """An FTS5 MATCH expression: every word by one of its stems; the last one also as the start
    of a longer word (live search). Each term is quoted, and holds only letters and digits."""
    groups = []
    for position, word in enumerate(words):
        # A stem as a prefix also finds the word's own longer forms ("ausbild"* finds
        # "Ausbildungsmission"), and counts one hit per word, not one per form.
        star = "*" if position == len(words) - 1 and len(word) >= MIN_PREFIX_CHARS else ""
        groups.append("(" + " OR ".join(f'"{s}"{star}' for s in stems(word)) + ")")
    return " AND ".join(groups)


class Highlighter:
    """Finds the words of a query in text: by stem, and the last word also as a prefix."""

    def __init__(self, words: list[str]):
        self.stems = {s for w in words for s in stems(w)} | set(words)
        last = words[-1] if words and len(words[-1]) >= MIN_PREFIX_CHARS else None
        self.prefixes = (last, *stems(last)) if last else ()
        # Candidates first, by a regular expression (fast on long attachments), then checked.
        starts = {s[:-1] if len(s) > 3 else s for s in self.stems}
        self._candidates = re.compile(
            r"(?<![^\W_])(?:" + "|".join(sorted(map(re.escape, starts), key=len, reverse=True))
            + r")[^\W_]*") if starts else None

    def hits(self, text: str) -> list[tuple[int, int]]:
        if self._candidates is None:
            return []
        found = []
        for match in self._candidates.finditer(fold_in_place(text)):
            word = fold(match.group())
            if (word in self.stems or self.stems.intersection(stems(word))
                    or word.startswith(self.prefixes)):
                found.append(match.span())
        return found

    def mark(self, text: str) -> Markup:
        """All of `text`, escaped, with the query's words in <mark>."""
        return _marked(text, self.hits(text), 0, len(text))

    def snippet(self, text: str) -> Markup:
        """A short passage of `text` around the densest run of hits, escaped and marked."""
        hits = self.hits(text)
        if not hits:
            end = _word_end(text, SNIPPET_CHARS)
            return _marked(text, [], 0, end)
        best = max(hits[:500], key=lambda h: sum(
            1 for other in hits if h[0] <= other[0] < h[0] + SNIPPET_CHARS - 60))
        start = _word_start(text, max(0, best[0] - 60))
        return _marked(text, hits, start, _word_end(text, start + SNIPPET_CHARS))


def _word_start(text: str, at: int) -> int:
    if at <= 0:
        return 0
    space = text.find(" ", at)
    return space + 1 if 0 <= space < at + 20 else at


def _word_end(text: str, at: int) -> int:
    if at >= len(text):
        return len(text)
    space = text.rfind(" ", at - 30, at)
    return space if space > 0 else at


def _marked(text: str, hits: list[tuple[int, int]], start: int, end: int) -> Markup:
    parts = ["…" if start > 0 else ""]
    position = start
    for hit_start, hit_end in hits:
        if hit_end <= start or hit_start < position:
            continue
        if hit_start >= end:
            break
        parts.append(str(escape(text[position:hit_start])))
        parts.append(f"<mark>{escape(text[hit_start:hit_end])}</mark>")
        position = hit_end
    parts.append(str(escape(text[position:end])))
    parts.append("…" if end < len(text) else "")
    return Markup("".join(parts))


def tag(name: str, value: object) -> str:
    """A filter value as one word for the index's tags column ("kind" "answer_item" ->
    "kindansweritem"): letters and digits only, so the tokenizer keeps it whole."""
    return name + re.sub(r"[^a-z0-9]", "", str(value).lower())


def tags_of(classification: int, kind: str, assessment: str | None,
            inquiry_type: str | None) -> str:
    """The tags of an entry: its marking, every clearance that may read it, its kind, the
    assessment and the inquiry type."""
    words = [tag("marking", classification), *(tag("reader", level)
                                               for level in range(classification, 3)),
             tag("kind", kind)]
    words += [tag("assessment", assessment)] if assessment else []
    words += [tag("type", inquiry_type)] if inquiry_type else []
    return " ".join(words)
