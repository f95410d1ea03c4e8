"""Chat service and rendering without a server: FakeEmbedder index, pure HTML checks, uploads."""

from __future__ import annotations

import json
import re
import shutil
from html import unescape
from pathlib import Path
from types import SimpleNamespace

import pytest

from verifact.app import upload as chat_upload
from verifact.app import view as chat_view
from verifact.app.chat import ChatService, ask_json, is_question
from verifact.app.cli import main
from verifact.app.upload import safe_upload_name
from verifact.errors import InputError
from verifact.index.store import build_index
from verifact.ingest.readers import load_documents
from verifact.search.search import load_index
from verifact.types import Document, Hit, Passage

from conftest import DATA, SEED_SOURCES, FakeEmbedder

CHAT_DATA = DATA / "chat"
MALICIOUS = ["<script>alert(1)</script>", '<img src=x onerror="alert(2)">', "javascript:alert(3)"]


def chat_sources() -> list[Path]:
    return [SEED_SOURCES, *sorted(p for p in CHAT_DATA.iterdir() if p.is_file())]


@pytest.fixture
def service(tmp_path):
    """A fresh FakeEmbedder index of the seed article plus tests/data/chat, in tmp_path."""
    path = tmp_path / "idx"
    build_index(load_documents(chat_sources()).documents, path, FakeEmbedder())
    return ChatService(load_index(path, embedder=FakeEmbedder()))


def fake_hit(text="Alpha beta. Gamma delta.", rank=1, title="T", dense=0.9, doc_id="d"):
    p = Passage(f"{doc_id}#0000", doc_id, text, f"/src/{doc_id}", 0, len(text), title)
    return Hit(p, dense, rank, {"dense": dense}, highlight=(12, len(text)))


@pytest.mark.parametrize(
    "text, question",
    [
        ("Who did Putin invite to Moscow?", True),
        ("when did meshaal visit moscow", True),
        ("Did Russia label Hamas a terrorist organisation", True),
        ("Tell me about Hamas visits to Kazan", True),
        ("hamas kazan", True),  # keyword query
        ("Putin invited Meshaal to Moscow in 2008.", False),
        ("Putin invited Meshaal to Moscow in 2008", False),
        ("Russia labels Hamas a terrorist group!", False),
        ("Lavrov met Meshaal.", False),
    ],
)
def test_question_or_claim_rule(text, question):
    assert is_question(text) is question


@pytest.mark.parametrize(
    "name, stored",
    [
        ("report.pdf", "report.pdf"),
        ("../../etc/notes.txt", "notes.txt"),
        ("..\\..\\win\\evil.md", "evil.md"),
        ("a;b|c$(rm -rf).TXT", "a_b_c_rm -rf_.TXT"),
        (".hidden.txt", "hidden.txt"),
    ],
)
def test_upload_names_are_sanitised(name, stored):
    assert safe_upload_name(name) == stored


@pytest.mark.parametrize(
    "name, message",
    [
        ("virus.exe", "Unsupported file type '.exe'"),
        ("noext", "Unsupported file type '(none)'"),
        ("..", "Unusable file name '..'"),
        ("dir/", "Unusable file name"),
        ("....txt", "Unsupported file type '(none)'"),
    ],
)
def test_upload_names_rejected(name, message):
    with pytest.raises(InputError, match=re.escape(message)):
        safe_upload_name(name)


@pytest.mark.parametrize("text", [*MALICIOUS, "[x](javascript:alert(1))", "$$x$$ `y` *z*"])
def test_escaped_text_holds_no_markup(text):
    out = chat_view.esc(text + "\n\nnext")
    assert not re.search(r"[<>\[\]()`*$:\"']", out.replace("<br>", ""))
    assert "\n" not in out  # a blank line would end the HTML block and start markdown


def test_answer_says_plainly_when_no_passage_is_good():
    hits = [fake_hit(rank=1, dense=0.1), fake_hit(rank=2, dense=0.05)]
    html = chat_view.answer_html("bread?", hits, [True, True], {})
    assert "No passage is a good match for this question." in html
    assert html.count("weak match") == 2
    good = chat_view.answer_html("q", hits[:1], [False], {})
    assert "No passage is a good match" not in good and "weak match" not in good
    assert "No passage matches" in chat_view.answer_html("q", [], [], {})


def test_citation_quote_highlight_and_context():
    text = "First para.\n\nAlpha beta. Gamma delta.\n\nThird para.\n\nFourth para."
    start = text.index("Alpha")
    p = Passage("d#0001", "d", text[start : start + 24], "/src/d.txt", start, start + 24, "Doc", 3)
    hit = Hit(p, 0.8, 1, {"dense": 0.8, "bm25": 2.0, "fused": 0.8}, (start + 12, start + 24))
    html = chat_view.hit_html(hit, Document("d", text, "/src/d.txt", "Doc"))
    assert "<b>[1]</b> <b>Doc</b>" in html and "p. 3" in html and "score 0.800" in html
    assert "<blockquote>Alpha beta. <mark>Gamma delta.</mark></blockquote>" in html
    assert "<summary>Show [1] in context</summary>" in html
    context = html.split('class="vf-context">')[1]
    assert "First para." in context and "Third para." in context  # one paragraph each side
    assert "Fourth para." not in context
    assert chat_view.context_span(Document("d", text, "s"), start, start + 24) == (
        0,
        len("First para.\n\nAlpha beta. Gamma delta.\n\nThird para."),
    )


def test_verdict_view_renders_label_reasons_and_stance():
    hit = fake_hit(text="In February 2006, Putin invited Meshaal. More.", title="<b>x</b>")
    verdict = SimpleNamespace(
        claim="Putin invited Meshaal in 2008 <script>",
        label="REFUTED",
        confidence=0.83,
        evidence=(SimpleNamespace(hit=hit, stance="contradicts", sentence=(0, 40)),),
        reasons=(
            SimpleNamespace(kind="date mismatch", claim_span="2008", source_span="2006", hit=1),
        ),
    )
    html = chat_view.verdict_html(verdict, {})
    assert "Refuted by the sources" in html and "confidence 0.83" in html
    assert "date mismatch: claim <q>2008</q> vs source <q>2006</q> [1]" in html
    assert "contradicts" in html and "<mark>In February 2006, Putin invited Meshaal.</mark>" in html
    assert "<script>" not in html and "<b>x</b>" not in html


def test_reply_to_a_question_cites_passages(service):
    html = service.reply("Where is the Eiffel Tower?", k=3)
    assert html.count('class="vf-cite"') == 3
    assert "<b>[1]</b> <b>Famous landmarks</b>" in html
    assert "<mark>" in html and "Show [1] in context" in html


def test_reply_filters_by_source_and_reports_errors(service):
    html = service.reply("Eiffel Tower Paris", k=5, doc_ids=["space.txt"])
    cited = [i.split("#")[0] for i in re.findall(r'data-passage-id="([^"]+)"', unescape(html))]
    assert cited and set(cited) == {"space.txt"}
    assert "Error:</b> Empty query" in service.reply("   ")
    assert "Unknown document id &#39;nope&#39;" in service.reply("x y", doc_ids=["nope"])
    assert "Error:</b> Unknown mode" in service.reply("x y", mode="fancy")


def test_claim_gets_the_verdict_view_and_mode_can_be_forced(service, monkeypatch):
    calls = []

    def verify_claims(index, claims, k=5, mode="hybrid", doc_ids=None):
        calls.append((claims, k, mode))
        hit = index.search(claims[0], k=1)[0]
        ev = SimpleNamespace(hit=hit, stance="supports", sentence=hit.highlight)
        return [
            SimpleNamespace(
                claim=claims[0],
                label="SUPPORTED",
                confidence=0.9,
                evidence=(ev,),
                reasons=(),
                to_dict=lambda: {"claim": claims[0]},
            )
        ]

    monkeypatch.setattr(service.verify, "verify_claims", verify_claims)
    claim = "Putin invited Meshaal to Moscow in 2006."
    assert "Supported by the sources" in service.reply(claim, k=2, mode="bm25")
    assert calls == [([claim], 2, "bm25")]
    assert "Supported by the sources" not in service.reply(claim, force="question")
    assert "Supported by the sources" in service.reply("Did Putin invite Meshaal?", force="claim")
    assert service.check(claim) == {"claim": claim}


def test_ask_json_is_the_cli_shape(service):
    obj = ask_json(service.index, "Where is the Eiffel Tower?", k=2, mode="bm25")
    hits = service.index.search("Where is the Eiffel Tower?", k=2, mode="bm25")
    assert obj == {
        "query": "Where is the Eiffel Tower?",
        "mode": "bm25",
        "k": 2,
        "hits": [h.to_dict() for h in hits],
    }
    assert service.ask("Where is the Eiffel Tower?", 2, "bm25") == obj
    json.dumps(obj)  # JSON-serialisable as returned by /ask
    with pytest.raises(InputError, match="Invalid k 0"):
        service.ask("x", 0)


def test_examples_and_info_come_from_the_loaded_index(service):
    examples = service.examples()
    assert "What do the sources say about Longstanding relationship with Hamas?" in examples
    corpus = "\n".join(p.text for p in service.index.passages)
    assert any(not is_question(e) and e in corpus for e in examples)  # a verbatim claim
    m = service.index.manifest
    info = unescape(service.info_markdown())
    assert f"**{m['document_count']}** documents" in info
    assert f"**{m['passage_count']}** passages" in info and "fake-bow" in info


def _tree(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")}


def test_upload_indexes_only_new_files_and_stays_in_the_index_dir(service, tmp_path):
    incoming = tmp_path / "incoming"
    incoming.mkdir()
    otters = shutil.copy(CHAT_DATA / "upload" / "otters.txt", incoming / "..\\..\\otters.txt")
    (incoming / "empty.txt").write_text("   ")
    (incoming / "tool.exe").write_bytes(b"MZ")
    outside = _tree(tmp_path) - {p for p in _tree(tmp_path) if p.startswith("idx")}
    before = service.index.manifest["passage_count"]
    progress = []
    report = service.add_files(
        [otters, incoming / "empty.txt", incoming / "tool.exe"],
        lambda d, t: progress.append((d, t)),
    )
    assert report.added == ("uploads/otters.txt",)
    new_passages = service.index.manifest["passage_count"] - before
    assert report.passages == new_passages > 0  # only the new document was embedded
    assert progress[-1] == (new_passages, new_passages)
    skipped = dict(report.skipped)
    assert skipped.keys() == {"empty.txt", "tool.exe"}
    assert "no text could be extracted" in skipped["empty.txt"]
    assert skipped["tool.exe"] == (
        "Unsupported file type '.exe' for 'tool.exe'; expected one of "
        ".txt .md .markdown .html .htm .pdf .docx .jsonl"
    )
    assert "Added 1 document" in report.message() and "Skipped tool.exe" in report.message()
    idx = tmp_path / "idx"
    assert (idx / "uploads" / "otters.txt").read_bytes() == Path(otters).read_bytes()
    assert _tree(tmp_path) - {p for p in _tree(tmp_path) if p.startswith("idx")} == outside
    top = service.search("What do sea otters use rocks for?", 1, "hybrid")[0]
    assert top.passage.doc_id == "uploads/otters.txt"
    assert top.passage.source == str(idx / "uploads" / "otters.txt")

    # a second upload keeps the first file; the same name again replaces its document
    jsonl = incoming / "notes.jsonl"
    jsonl.write_text('{"id": "n1", "text": "Kelp forests shelter sea urchins."}\nnot json\n')
    report = service.add_files([jsonl, otters])
    assert set(report.added) == {"uploads/notes.jsonl:n1", "uploads/otters.txt"}
    assert report.skipped == (("notes.jsonl:2", "not valid JSON"),)
    assert sorted(p.name for p in (idx / "uploads").iterdir()) == ["notes.jsonl", "otters.txt"]
    ids = list(service.index.documents())
    assert ids.count("uploads/otters.txt") == 1 and "uploads/notes.jsonl:n1" in ids


def test_upload_limits(service, monkeypatch, tmp_path):
    monkeypatch.setattr(chat_upload, "MAX_UPLOAD_BYTES", 100)
    big = tmp_path / "big.txt"
    big.write_text("word " * 100)
    report = service.add_files([big])
    assert report.added == () and "the limit is 20 MB per file" in report.skipped[0][1]
    assert service.add_files([]).message() == "No files given; choose files to add first"


def test_cmd_chat_binds_localhost_unless_asked(service, monkeypatch, capsys):
    import verifact.app.ui

    seen = {}
    monkeypatch.setattr(verifact.app.ui, "launch", lambda index, **kw: seen.update(kw))
    path = str(service.path)
    assert main(["chat", "--index", path]) == 0
    assert seen == {"host": "127.0.0.1", "port": 7860, "share": False, "auth": None}
    assert main(["chat", "--index", path, "--host", "0.0.0.0", "--auth", "u:p w"]) == 0
    assert seen["host"] == "0.0.0.0" and seen["auth"] == "u:p w"
    assert main(["chat", "--index", path, "--auth", "nocolon"]) == 1
    assert "Invalid --auth 'nocolon'; expected USER:PASSWORD" in capsys.readouterr().err
