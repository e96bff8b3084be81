"""Text analysis for questions: Dutch tokens, stems and TF-IDF term weights.

Questions are short Dutch texts. Words are lower-cased, stop words dropped and the rest reduced
to their Dutch Snowball stem ("uitkeringen", "uitkering" → "uitker"), so that the same subject
written differently still matches. The module is pure: grouping and suggestions both use it.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from functools import lru_cache

import snowballstemmer

WORD = re.compile(r"[a-zà-ÿ]+", re.IGNORECASE)
STOP_WORDS = frozenset(
    """
    aan af al alle alles als altijd andere ben bij daar dan dat de der deze die dit doch doen door dus
    een eens en er ge geen geweest had heb hebben heeft hem het hier hij hoe hoeveel hun iemand iets ik
    in is ja je jij jou jouw kan kun kunnen kon kunt maar me meer men met mij mijn moet moeten na naar
    niet niets nog nu of om omdat onder ons ook op over reeds u uw van veel voor want waren was wat
    we wel werd wie wij wil wilt worden wordt zal ze zei zelf zich zij zijn zo zonder zou zouden
    graag vraag vragen iemand cliënt client clienten cliënten klant mevrouw meneer hoe wat waar
    welke wanneer waarom kan mag mogen moet weet weten iemand goed gaat gaan krijgen krijgt
    the a an and or of to in is it for on with as be this that how what
    alvast bedankt dank advies casus dringend nogal kort korte jullie ervaring loop vast iemand zit helpen weet
    """.split()
)
MIN_LENGTH = 3


@lru_cache(maxsize=1)
def _stemmer():
    return snowballstemmer.stemmer("dutch")


def _fold(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    return _stemmer().stemWord(word)


def tokens(text: str) -> list[tuple[str, str]]:
    """(stem, surface word) pairs of the meaningful words in `text`, in order."""
    result = []
    for match in WORD.finditer(text or ""):
        word = _fold(match.group(0).lower())
        if len(word) < MIN_LENGTH or word in STOP_WORDS:
            continue
        result.append((stem(word), word))
    return result


def stems(text: str) -> list[str]:
    return [s for s, _w in tokens(text)]


def term_weights(text: str) -> dict[str, float]:
    """Sub-linear term frequencies, L2-normalised: the document side of the similarity."""
    counts = Counter(stems(text))
    weights = {term: 1 + math.log(n) for term, n in counts.items()}
    norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
    return {term: w / norm for term, w in weights.items()}


def idf(document_frequency: int, documents: int) -> float:
    return math.log((1 + documents) / (1 + document_frequency)) + 1
