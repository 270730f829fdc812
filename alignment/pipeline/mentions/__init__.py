"""Numbers and names in a sentence, reduced to keys that compare across English and Russian.

Two mentions with an equal key mean the same number or the same name, whatever the language:
"1,5 млн" and "$1.5m" both give ``1500000``, "5 сентября" and "Sept. 5" both give ``date:09-05``, and
"Пескову" and "Peskov" both give the consonant skeleton ``psk``. Keys are plain strings so that the aligner
can intersect key sets exactly and the divergence detector can compare the two sides of a bead.

A mention may answer to more than one key (``aliases``) when its reading is ambiguous: Russian "1,500" is
1.5 or 1500, and the "ch" of English "Michael" is a Russian "к" while that of "Charles" is a "ч".

The word lists these rules read are data, in :mod:`alignment.pipeline.lexicon`.
"""

from .capitals import capital_by_position
from .mention import Mention
from .morphology import dictionary_name
from .names import capitalised_run, name_keys, name_mentions, word_keys
from .numbers import number_keys, number_matches, number_mentions
from .script import initials_alike, names_alike, to_latin
from .vocabulary import common_word, in_vocabulary, known_proper_noun
from .words import adjective_form, generic_word, translated_adjective

__all__ = [
    "Mention",
    "adjective_form",
    "capital_by_position",
    "capitalised_run",
    "common_word",
    "dictionary_name",
    "generic_word",
    "in_vocabulary",
    "initials_alike",
    "known_proper_noun",
    "name_keys",
    "name_mentions",
    "names_alike",
    "number_keys",
    "number_matches",
    "number_mentions",
    "to_latin",
    "translated_adjective",
    "word_keys",
]
