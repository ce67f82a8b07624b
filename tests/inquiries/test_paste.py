"""Splitting a pasted block of numbered questions or answers into items."""

import pytest

from app.inquiries.paste import split_numbered

KLEINE_ANFRAGE = """Vorbemerkung der Fragesteller
Die Bundesregierung unterstützt Tunesien im Rahmen der Ertüchtigungsinitiative.

Wir fragen die Bundesregierung:
1. Welche Projekte wurden 2018 in Tunesien gefördert?
2. Welche Ausrüstung wurde geliefert, und an welche
Einheiten?
   a) Polizei
   b) Militär
3) Wurde evaluiert? Wenn ja, mit welchem
Ergebnis im Jahr
2019. Die Evaluation ist zu veröffentlichen.
4. Wie hoch waren die Kosten?
"""


def test_numbered_questions_become_items_with_the_preamble_apart():
    split = split_numbered(KLEINE_ANFRAGE)
    assert [item.number for item in split.items] == [1, 2, 3, 4]
    assert split.items[0].text == "Welche Projekte wurden 2018 in Tunesien gefördert?"
    # Lines broken by the layout are joined; sub-points stay inside their question.
    assert split.items[1].text == ("Welche Ausrüstung wurde geliefert, und an welche Einheiten? "
                                   "a) Polizei b) Militär")
    # A year at the start of a line is not a new question.
    assert "2019. Die Evaluation" in split.items[2].text
    assert split.preamble.startswith("Vorbemerkung der Fragesteller")
    assert split.preamble.endswith("Wir fragen die Bundesregierung:")


@pytest.mark.parametrize("marker", ["Zu Frage {n}:", "Zu {n}.", "Frage {n}:", "({n})", "{n})",
                                    "Question {n}:"])
def test_answer_markers_of_the_usual_forms_are_understood(marker):
    text = "\n".join(f"{marker.format(n=n)}\nAntwort {n}." for n in (1, 2, 3))
    split = split_numbered(text)
    assert [(i.number, i.text) for i in split.items] == [(1, "Antwort 1."), (2, "Antwort 2."),
                                                         (3, "Antwort 3.")]


def test_answers_to_questions_taken_together_start_where_the_government_starts():
    split = split_numbered("Zu Frage 4:\nSiehe Antwort zu Frage 3.\nZu Frage 5:\nNein.")
    assert [(i.number, i.text) for i in split.items] == [(4, "Siehe Antwort zu Frage 3."),
                                                         (5, "Nein.")]


def test_text_without_numbers_is_all_preamble():
    split = split_numbered("Die Bundesregierung sieht von einer Antwort ab.")
    assert split.items == []
    assert split.preamble == "Die Bundesregierung sieht von einer Antwort ab."


def test_named_answers_may_skip_questions_answered_together():
    split = split_numbered("Zu Frage 1:\nJa.\nZu Frage 2:\nDie Fragen 2 bis 4 werden gemeinsam "
                           "beantwortet.\nZu Frage 5:\nNein.")
    assert [i.number for i in split.items] == [1, 2, 5]


def test_a_bare_number_out_of_sequence_stays_inside_the_text():
    split = split_numbered("1. Wann?\n2. Am\n15. März 2018 wurde geliefert.\n3. Wer?")
    assert [i.number for i in split.items] == [1, 2, 3]
    assert split.items[1].text == "Am 15. März 2018 wurde geliefert."
