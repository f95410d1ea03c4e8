"""Chat service and rendering without a server: FakeEmbedder index, pure HTML checks, uploads."""

from __future__ import annotations

import json
import re
import shutil
from html import unescape
from pathlib import Path
from types import SimpleNamespace

import pytest

from verifact.app import view as chat_view
from verifact.app.chat import ChatService, ask_json, is_question
from verifact.app.cli import main
from verifact.app.upload import UploadLimits, safe_upload_name
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
        "weak": False,  # bm25 hits have no cosine to call weak
        "hits": [{**h.to_dict(), "weak": False} for h in hits],
    }
    assert service.ask("Where is the Eiffel Tower?", 2, "bm25") == obj
    json.dumps(obj)  # JSON-serialisable as returned by /ask
    with pytest.raises(InputError, match="Invalid k 0"):
        service.ask("x", 0)
    with pytest.raises(InputError, match="the chat answers with 1 to 20 passages"):
        service.ask("x", 21)
    assert "the chat answers with 1 to 20" in service.reply("Eiffel Tower?", k=50)


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


def test_upload_limits(service, tmp_path):
    service.limits = UploadLimits(file_mb=0.0001)
    big = tmp_path / "big.txt"
    big.write_text("word " * 100)
    report = service.add_files([big])
    assert report.added == () and "the limit is 0.0001 MB per file" in report.skipped[0][1]
    assert service.add_files([]).message() == "No files given; choose files to add first"


def test_cmd_chat_binds_localhost_unless_asked(service, monkeypatch, capsys, tmp_path):
    import verifact.app.ui

    seen = {}
    monkeypatch.setattr(verifact.app.ui, "launch", lambda index, **kw: seen.update(kw))
    monkeypatch.delenv("VERIFACT_AUTH", raising=False)
    path = str(service.path)
    assert main(["chat", "--index", path]) == 0
    assert seen["host"] == "127.0.0.1" and seen["port"] == 7860 and seen["share"] is False
    assert seen["auth"] is None and seen["limits"] == UploadLimits()
    creds = tmp_path / "creds"
    creds.write_text("u:p w\n")
    assert main(["chat", "--index", path, "--host", "0.0.0.0", "--auth-file", str(creds)]) == 0
    assert seen["host"] == "0.0.0.0" and seen["auth"] == "u:p w\n"
    monkeypatch.setenv("VERIFACT_AUTH", "alice:s3cret")
    assert main(["chat", "--index", path]) == 0 and seen["auth"] == "alice:s3cret"


# --- hostile uploads, two writers, slow requests ---------------------------------------------


def test_a_failed_reupload_keeps_the_stored_copy(service, tmp_path):
    good = tmp_path / "notes.txt"
    good.write_text("Kelp forests shelter sea urchins along rocky coasts.")
    assert service.add_files([good]).added == ("uploads/notes.txt",)
    stored = service.path / "uploads" / "notes.txt"
    bad = tmp_path / "again" / "notes.txt"
    bad.parent.mkdir()
    bad.write_bytes(b"\x00\x01binary now")
    report = service.add_files([bad])
    assert report.added == () and "binary" in report.skipped[0][1]
    assert stored.read_text().startswith("Kelp forests")  # the good copy is still there
    top = service.search("kelp forests urchins", 1, "bm25")[0]
    assert top.passage.doc_id == "uploads/notes.txt"
    assert [p.name for p in (service.path / "uploads").iterdir()] == ["notes.txt"]


def test_two_names_that_clean_to_one_keep_the_first(service, tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first, second = tmp_path / "a" / "x;y.txt", tmp_path / "b" / "x|y.txt"
    first.write_text("Beavers build dams of sticks.")
    second.write_text("Herons eat fish.")
    report = service.add_files([first, second])
    assert report.added == ("uploads/x_y.txt",)
    assert report.skipped == (
        ("x|y.txt", "another file of this upload, 'x;y.txt', is also stored as 'x_y.txt'; "
                    "rename one and upload it again"),
    )  # fmt: skip
    assert [p.name for p in (service.path / "uploads").iterdir()] == ["x_y.txt"]


def test_upload_quotas(service, tmp_path):
    files = []
    for i in range(4):
        f = tmp_path / f"f{i}.txt"
        f.write_text(f"Document number {i} about rivers. " * 40)  # ~1.4 KB each
        files.append(f)
    service.limits = UploadLimits(files=2)
    report = service.add_files(files)
    assert len(report.added) == 2 and all("over the 2 files" in r for _, r in report.skipped)
    service.limits = UploadLimits(request_mb=0.002)
    report = service.add_files(files[2:])
    assert len(report.added) == 1 and "over the 0.002 MB one upload" in report.skipped[0][1]
    service.limits = UploadLimits(total_mb=0.004)
    report = service.add_files(files[3:])
    assert report.added == () and "exceed 0.004 MB in all" in report.skipped[0][1]
    service.limits = UploadLimits(total_mb=0.004)
    assert service.add_files(files[:1]).added == ("uploads/f0.txt",)  # a replacement fits


def test_a_zip_bomb_upload_is_skipped(service, tmp_path):
    from helpers import write_docx_bomb

    bomb = write_docx_bomb(tmp_path / "report.docx", inner_mb=8)
    report = service.add_files([bomb])
    assert report.added == () and "zip bomb" in report.skipped[0][1]
    assert not (service.path / "uploads" / "report.docx").exists()


def test_the_chat_reloads_when_another_writer_changes_the_index(service, tmp_path):
    up = tmp_path / "otters.txt"
    up.write_text("Sea otters float on their backs and crack shells with rocks.")
    assert service.add_files([up]).added == ("uploads/otters.txt",)
    # a CLI re-index with one more source: the chat upload stays, the chat sees the new doc
    extra = tmp_path / "herons.txt"
    extra.write_text("Grey herons stand still in shallow water waiting for fish.")
    docs = load_documents([*chat_sources(), extra]).documents
    report = build_index(docs, service.path, FakeEmbedder())
    assert report.uploads_kept == 1
    service._checked = 0  # noqa: SLF001 - skip the half-second between two looks
    ids = set(service.current().manifest["documents"])
    assert {"herons.txt", "uploads/otters.txt"} <= ids
    # the next upload starts from the index on disk: the CLI's document stays
    beaver = tmp_path / "beaver.txt"
    beaver.write_text("Beavers build dams.")
    service.add_files([beaver])
    assert {"herons.txt", "uploads/otters.txt", "uploads/beaver.txt"} <= set(
        service.index.manifest["documents"]
    )


def test_a_slow_claim_check_does_not_hold_up_a_question(service, monkeypatch):
    import threading
    import time

    def slow_verify(index, claims, **kw):
        time.sleep(2.0)
        raise InputError("slow")

    monkeypatch.setattr(service.verify, "verify_claims", slow_verify)
    t = threading.Thread(target=service.reply, args=("Putin invited Meshaal in 2008.",))
    t.start()
    time.sleep(0.2)
    t0 = time.perf_counter()
    assert 'class="vf-cite"' in service.reply("Where is the Eiffel Tower?", k=1)
    assert time.perf_counter() - t0 < 1.0
    t.join()


def test_uploads_run_in_the_background_with_progress(service, tmp_path, monkeypatch):
    import threading
    import time

    started, release = threading.Event(), threading.Event()
    inner = service.index.embedder._inner  # noqa: SLF001
    original = inner.embed_passages

    def slow(texts, progress=False):
        started.set()
        release.wait(10)
        return original(texts, progress)

    monkeypatch.setattr(inner, "embed_passages", slow)
    f = tmp_path / "kelp.txt"
    f.write_text("Kelp forests grow fast in cold water. " * 30)
    t0 = time.perf_counter()
    job_id = service.submit_upload([f])
    assert time.perf_counter() - t0 < 0.5
    assert started.wait(30)
    job = service.job(job_id)
    assert job.state == "running" and "embedding" in job.status()
    t0 = time.perf_counter()  # a question while the upload embeds
    assert service.ask("Where is the Eiffel Tower?", 1, "bm25")["hits"]
    assert time.perf_counter() - t0 < 1.0
    release.set()
    done = service.wait_for(job_id, timeout=60)
    assert done.state == "done" and "Added 1 document" in done.status()
    assert "uploads/kelp.txt" in service.index.manifest["documents"]


def test_gradio_temp_copies_are_removed_after_an_upload(service, tmp_path, monkeypatch):
    temp = tmp_path / "gradio-temp"
    monkeypatch.setenv("GRADIO_TEMP_DIR", str(temp))
    paths = []
    for name, text in (("ok.txt", "Otters swim."), ("bad.exe", "MZ")):
        (temp / name[:2]).mkdir(parents=True)
        (temp / name[:2] / name).write_text(text)
        paths.append(temp / name[:2] / name)
    keep = tmp_path / "mine.txt"  # a file outside Gradio's folder is never touched
    keep.write_text("Mine.")
    job = service.wait_for(service.submit_upload([*paths, keep]), timeout=60)
    assert job.state == "done"
    assert list(temp.iterdir()) == [] and keep.exists()


def test_logins_are_slowed_after_failures():
    import asyncio

    from verifact.app.ui import Login, parse_credentials

    login = Login(parse_credentials("alice:s3cret"))
    assert login.delay("alice") == 0.0
    assert login.check("alice", "wrong") is False and login.check("alice", "bad") is False
    assert login.delay("alice") == 1.0  # 0.5 s, then 1 s, 2 s ... up to 8 s
    assert asyncio.run(login("alice", "s3cret")) is True and login.delay("alice") == 0.0
    for bad in (":", "alice:", ":pw", "nocolon"):
        with pytest.raises(InputError):
            parse_credentials(bad)
