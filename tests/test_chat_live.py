"""The chat as users meet it: a live server on localhost, gradio_client and headless Chromium.

One server runs through the CLI (``python -m verifact chat``) for the read-only tests; tests
that change the index (uploads) or the launch options (auth) start their own in-process server
on a copy. Browser tests use Debian's /usr/bin/chromium through Playwright (never a download).
"""

from __future__ import annotations

import importlib
import json
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from verifact.app.cli import main
from verifact.app.view import LABEL_TEXT
from verifact.index.store import build_index
from verifact.ingest.readers import load_documents
from verifact.search.search import load_index

from conftest import DATA, ROOT, SEED_SOURCES

CHAT_DATA = DATA / "chat"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]  # fmt: skip
# different answers, so a reply sent to the wrong client would show
LOAD_QUESTIONS = [
    "Where is the Eiffel Tower?",
    "How many spectators could the Colosseum hold?",
    "How long is the Great Wall of China?",
    "What is the largest planet in the solar system?",
    "Who landed on the Moon in July 1969?",
    "When did Putin invite Meshaal to Moscow?",
    "Which Soviet agency funded anti-Western militant groups?",
    "When did Meshaal meet Dmitry Medvedev?",
    "Why did Russian officials want good relations with Hamas?",
    "What did the lighthouse keeper of Skerryvore log?",
]
_verify = (
    importlib.import_module("verifact.verify.verdict")
    if importlib.util.find_spec("verifact.verify.verdict")
    else None
)
needs_verify = pytest.mark.skipif(
    not hasattr(_verify, "verify_claims"), reason="claim verification (verify.py) not installed"
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_http(url: str, proc: subprocess.Popen | None = None, log: Path | None = None):
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            pytest.fail(f"chat server exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"chat server at {url} did not answer in 180 s")


@pytest.fixture(scope="module")
def chat_index_dir(tmp_path_factory, real_embedder) -> Path:
    """The seed article plus tests/data/chat (landmarks, space, a source full of markup)."""
    path = tmp_path_factory.mktemp("chat") / "index"
    sources = [SEED_SOURCES, *sorted(p for p in CHAT_DATA.iterdir() if p.is_file())]
    build_index(load_documents(sources).documents, path, real_embedder)
    return path


@pytest.fixture(scope="module")
def chat_index(chat_index_dir, real_embedder):
    return load_index(chat_index_dir, embedder=real_embedder)


@pytest.fixture(scope="module")
def server(chat_index_dir, tmp_path_factory):
    """``python -m verifact chat --index DIR --port PORT``, as a user starts it."""
    port = free_port()
    log = tmp_path_factory.mktemp("server") / "server.log"
    cmd = [sys.executable, "-m", "verifact", "chat", "--index", str(chat_index_dir),
           "--port", str(port)]  # fmt: skip
    with open(log, "w") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_for_http(url, proc, log)
        yield {"url": url, "port": port, "log": log}
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="module")
def client(server):
    from gradio_client import Client

    return Client(server["url"], verbose=False)


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(
            f"browser tests need Chromium at {CHROMIUM}: on Debian or Ubuntu run "
            "sudo apt-get install chromium chromium-driver (make browser does it)"
        )
    pytest.importorskip(
        "playwright.sync_api", reason='browser tests need playwright: pip install "verifact[dev]"'
    )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    """A fresh tab that records every dialog (alert) a page opens, and dismisses it."""
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    tab = context.new_page()
    tab.dialogs = []
    tab.on("dialog", lambda d: (tab.dialogs.append(d.message), d.dismiss()))
    yield tab
    context.close()


def open_chat(page, url):
    page.goto(url, wait_until="domcontentloaded")  # networkidle never settles on Gradio
    page.locator("#vf-input textarea").wait_for(timeout=60_000)


def ask_in_browser(page, text: str, force: str | None = None):
    """Type ``text`` like a user, press Enter and return the new reply's locator."""
    if force:
        page.get_by_label(force, exact=True).check()
    replies = page.locator("#vf-chat .vf-reply")
    n = replies.count()
    box = page.locator("#vf-input textarea")
    box.fill(text)
    box.press("Enter")
    reply = replies.nth(n)
    reply.wait_for(timeout=60_000)
    return reply


# --- server and API -------------------------------------------------------------------------


def test_server_binds_to_localhost_only(server):
    want = f"Running on local URL:  http://127.0.0.1:{server['port']}"
    hint = "run verifact chat --share"  # printed on the line after, maybe a moment later
    deadline = time.monotonic() + 15  # printed once launch() returns, just after it answers
    while not (want in (log := server["log"].read_text()) and hint in log):
        if time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert want in log
    # the public-link hint names the CLI's flag, not Gradio's launch(share=True)
    assert hint in log and "share=True" not in log
    tcp = Path("/proc/net/tcp")
    if tcp.exists():  # Linux: the listening socket's address is 127.0.0.1, not 0.0.0.0
        rows = [line.split() for line in tcp.read_text().splitlines()[1:]]
        listening = [
            r[1] for r in rows if r[3] == "0A" and int(r[1].split(":")[1], 16) == server["port"]
        ]
        assert listening == [f"0100007F:{server['port']:04X}"]


def test_ask_endpoint_returns_the_cli_json(client, chat_index_dir, capsys):
    q = "When did Putin invite Meshaal to Moscow?"
    assert main(["ask", q, "--index", str(chat_index_dir), "-k", "3", "--json"]) == 0
    cli = json.loads(capsys.readouterr().out)
    api = client.predict(q, 3, "hybrid", api_name="/ask")
    assert api == cli
    assert api["hits"][0]["doc_id"] == "russia-hamas-relations.txt"
    bm25 = client.predict(query="Eiffel Tower", k=1, mode="bm25", api_name="/ask")
    assert bm25["mode"] == "bm25" and bm25["hits"][0]["doc_id"] == "landmarks.md"


@pytest.mark.parametrize(
    "args, message",
    [
        (("",), "Empty query ''"),
        (("hello", 0), "Invalid k 0"),
        (("hello", 3, "fancy"), "Unknown mode 'fancy'; expected one of hybrid, dense, bm25"),
        (("\u200b\u2060",), "Empty query"),  # zero-width characters only
        (("word " * 1000,), "too long"),
        (("hello", 100_000), "from 1 to 100"),
        (("hello", 21), "the chat answers with 1 to 20 passages"),
    ],
)
def test_ask_endpoint_errors(client, args, message):
    from gradio_client.exceptions import AppError

    with pytest.raises(AppError, match=message):
        client.predict(*args, api_name="/ask")


def test_a_lone_surrogate_in_the_json_gets_a_one_line_error(server):
    """Raw JSON with "\\udcff" (no client encodes it): the error, not a traceback."""
    url = server["url"] + "gradio_api/call/ask"
    body = b'{"data": ["\\udcff", 3, "hybrid"]}'
    req = urllib.request.Request(url, body, {"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        event = json.loads(r.read())["event_id"]
    with urllib.request.urlopen(f"{url}/{event}", timeout=30) as r:
        stream = r.read().decode()
    assert "event: error" in stream and "is not valid text" in stream
    assert "Traceback" not in stream


@needs_verify
def test_check_endpoint_returns_the_cli_json(client, chat_index_dir, capsys):
    claim = "Putin invited Meshaal to Moscow in 2008."
    assert main(["check", claim, "--index", str(chat_index_dir), "--json"]) == 0
    cli = json.loads(capsys.readouterr().out)
    assert client.predict(claim, api_name="/check") == cli
    assert cli["verdict"] in {"SUPPORTED", "REFUTED", "NOT_ENOUGH_INFO", "CONFLICTING"}


def test_twenty_clients_two_hundred_questions(server, chat_index):
    """20 concurrent gradio_client clients, 200 questions: every reply is its own question's."""
    from gradio_client import Client

    expected = {q: chat_index.search(q, k=3)[0].passage.id for q in LOAD_QUESTIONS}
    assert len(set(expected.values())) >= 8  # distinct answers: a mix-up cannot pass
    errors, results, lock = [], [], threading.Lock()

    def worker(w: int) -> None:
        try:
            c = Client(server["url"], verbose=False)
            for i in range(10):
                q = LOAD_QUESTIONS[(w + i) % len(LOAD_QUESTIONS)]
                reply = c.predict(q, 3, "hybrid", api_name="/ask")
                with lock:
                    results.append((q, reply["query"], reply["hits"][0]["passage_id"]))
        except Exception as e:  # noqa: BLE001 - every failure is counted and reported
            with lock:
                errors.append(f"client {w}: {type(e).__name__}: {e}")

    t0 = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(w,)) for w in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    seconds = time.perf_counter() - t0
    assert errors == []
    assert len(results) == 200, f"only {len(results)} replies in {seconds:.0f} s"
    wrong = [(q, got_q, pid) for q, got_q, pid in results if got_q != q or pid != expected[q]]
    assert wrong == []


# --- browser --------------------------------------------------------------------------------


def test_browser_question_citations_and_context(server, page, tmp_path):
    open_chat(page, server["url"])
    info = page.locator("#vf-info").inner_text()
    assert "all-MiniLM-L6-v2" in info and "4 documents" in info and "passages" in info
    reply = ask_in_browser(page, "When did Putin invite Meshaal to Moscow?")
    text = reply.inner_text()
    assert "[1] Longstanding relationship with Hamas" in text
    assert "russia-hamas-relations.txt" in text and "score" in text
    first = reply.locator(".vf-cite").first
    assert "In February 2006, Putin invited" in first.locator("mark").first.inner_text()
    context = first.locator(".vf-context")
    assert not context.is_visible()
    first.locator("summary").click()  # the quote in its surrounding paragraphs, in the chat
    assert context.is_visible()
    assert "Throughout the 1990s and 2000s" in context.inner_text()  # the paragraph before
    shot = tmp_path / "chat-answered.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    assert page.dialogs == []


def test_browser_source_markup_renders_inert(server, page):
    open_chat(page, server["url"])
    reply = ask_in_browser(page, "What did the lighthouse keeper of Skerryvore log?")
    for summary in reply.locator("summary").all():
        summary.click()
    text = reply.inner_text()
    assert "<script>alert(1)</script>" in text  # shown literally, as text
    assert '<img src=x onerror="alert(2)">' in text
    assert "[the harbour chart](javascript:alert(3))" in text
    assert 'Lighthouse keeper notes <img src=x onerror="alert(4)"> from Skerryvore' in text
    page.locator("#vf-docs input").click()  # titles in the source filter are text too
    page.wait_for_timeout(500)
    assert page.locator("#vf-chat script, #vf-chat img, #vf-chat iframe").count() == 0
    assert page.locator("img[src='x'], a[href^='javascript']").count() == 0
    assert page.dialogs == []


def test_browser_weak_matches_are_said_plainly(server, page):
    if not hasattr(_verify, "is_weak"):
        pytest.skip("the fitted weak-match threshold lives in verify.py, not installed")
    open_chat(page, server["url"])
    reply = ask_in_browser(page, "How do I bake sourdough bread at home?", force="question")
    assert "No passage is a good match for this question." in reply.inner_text()
    assert reply.locator(".vf-cite").count() >= 1 and "weak match" in reply.inner_text()


def test_browser_shows_the_top_of_a_long_reply(server, page):
    """A reply longer than the chat pane opens at its first lines, not at its last citation."""
    open_chat(page, server["url"])
    page.locator("#vf-k input[type=number]").fill("10")
    page.locator("#vf-k input[type=number]").press("Enter")
    reply = ask_in_browser(page, "What did Russia and Hamas discuss?", force="question")
    page.wait_for_timeout(1500)  # the reply scrolls into view after it renders
    pane = page.locator("#vf-chat").bounding_box()
    cites = reply.locator(".vf-cite")
    assert cites.count() >= 5
    assert reply.bounding_box()["height"] > pane["height"]  # longer than the pane
    first = cites.first.bounding_box()
    assert pane["y"] <= first["y"] < pane["y"] + pane["height"]  # citation [1] is visible
    last = cites.last.bounding_box()
    assert last["y"] > pane["y"] + pane["height"]  # and the last one is below, not shown first


@needs_verify
def test_browser_claim_gets_a_verdict(server, page):
    open_chat(page, server["url"])
    reply = ask_in_browser(page, "Putin invited Meshaal to Moscow in 2008.")
    text = reply.inner_text()
    assert reply.locator(".vf-label").count() == 1
    assert any(label in text for label in LABEL_TEXT.values())
    assert "Claim: Putin invited Meshaal to Moscow in 2008." in text
    assert reply.locator(".vf-cite").count() >= 1  # the cited evidence, as for a question
    forced = ask_in_browser(page, "Putin invited Meshaal to Moscow in 2008.", force="question")
    assert forced.locator(".vf-label").count() == 0 and forced.locator(".vf-cite").count() >= 1


# --- servers of their own: uploads change the index, auth changes the launch ------------------


@pytest.fixture
def own_server(chat_index_dir, real_embedder, tmp_path):
    """Start an in-process server on a copy of the chat index; yields a starter function."""
    from verifact.app.ui import launch

    demos = []

    def start(auth: str | None = None):
        path = tmp_path / "index"
        shutil.copytree(chat_index_dir, path)
        port = free_port()
        demos.append(launch(load_index(path, embedder=real_embedder), port=port, auth=auth,
                            block=False))  # fmt: skip
        url = f"http://127.0.0.1:{port}/"
        wait_for_http(url)
        return url, path

    yield start
    for demo in demos:
        demo.close()


def gradio_copies(name: str) -> set[Path]:
    from gradio.utils import get_upload_folder

    return set(Path(get_upload_folder()).rglob(name))


def test_browser_upload_then_ask(own_server, page):
    url, path = own_server()
    before = gradio_copies("otters.txt")
    open_chat(page, url)
    page.locator("#vf-files input[type=file]").set_input_files(
        str(CHAT_DATA / "upload" / "otters.txt")
    )
    page.locator("#vf-files").get_by_text("otters.txt").first.wait_for(timeout=30_000)
    page.locator("#vf-add").click()
    status = page.locator("#vf-upload-status")
    status.get_by_text("Added 1 document").wait_for(timeout=120_000)
    assert "uploads/otters.txt" in status.inner_text()
    assert "5 documents" in page.locator("#vf-info").inner_text()
    assert gradio_copies("otters.txt") <= before  # Gradio's temp copy is gone
    assert (path / "uploads" / "otters.txt").read_bytes() == (
        CHAT_DATA / "upload" / "otters.txt"
    ).read_bytes()
    reply = ask_in_browser(page, "What do sea otters use rocks for?")
    assert "[1] Sea otters of the Pacific coast" in reply.inner_text()
    assert page.dialogs == []


def test_auth_is_required_when_asked(own_server):
    from gradio_client import Client
    from gradio_client.exceptions import AuthenticationError

    url, _ = own_server(auth="alice:s3cret")
    with pytest.raises(AuthenticationError, match="credentials were not provided"):
        Client(url, verbose=False)
    with pytest.raises(urllib.error.HTTPError, match="401"):
        urllib.request.urlopen(url + "gradio_api/info", timeout=10)
    c = Client(url, auth=("alice", "s3cret"), verbose=False)
    assert c.predict("Eiffel Tower", 1, "bm25", api_name="/ask")["hits"][0]["doc_id"] == (
        "landmarks.md"
    )
