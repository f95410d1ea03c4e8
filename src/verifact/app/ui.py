"""Chat UI: an Index -> a ChatService behind a Gradio app (chat, uploads, /ask and /check)."""

from __future__ import annotations

import asyncio
import hmac
import socket
import threading
import time

from ..config import MODES
from ..errors import InputError, VerifactError
from ..ingest.readers import SUFFIXES
from ..search.search import Index
from . import view
from .chat import CHAT_MAX_K, FORCE_CHOICES, ChatService, UploadLimits

# Events of one kind running at once (questions run concurrently inside ChatService, claim
# checks one at a time); the queue holds everyone else.
CONCURRENCY = 8
INTRO = (
    "### verifact: answers are quotes from your sources, with citations\n"
    "Ask a question or paste a claim. Every reply lists the matching passages verbatim, "
    "best sentence highlighted; nothing is generated."
)
# After a reply renders, bring its top (the verdict, citation [1]) into view instead of letting
# the chat scroll to the bottom of a long reply; retried while Gradio is still rendering.
SCROLL_TO_REPLY_JS = """
() => {
  const show = () => {
    const replies = document.querySelectorAll('#vf-chat .vf-reply');
    if (replies.length) replies[replies.length - 1].scrollIntoView({block: 'start'});
  };
  [100, 400, 1000].forEach((ms) => setTimeout(show, ms));
}
"""
POLL_SECONDS = 1.0  # how often a page with an upload in progress asks for its status


def build_app(service: ChatService):
    """The Gradio Blocks app for ``service`` (not launched)."""
    import gradio as gr

    def respond(message, history, k, mode, doc_ids, force):
        history = list(history or [])
        if not (message or "").strip():
            return message, history
        answer = service.reply(message, int(k), mode, doc_ids or None, force)
        history.append({"role": "user", "content": view.esc(message)})
        history.append({"role": "assistant", "content": answer})
        return "", history

    def upload(files):
        paths = [f if isinstance(f, str) else getattr(f, "name", str(f)) for f in files or []]
        if not paths:
            return "No files given; choose files to add first", None, None
        job_id = service.submit_upload(paths)
        return view.esc(service.job(job_id).status()), job_id, None

    def poll(job_id):
        job = service.job(job_id) if job_id else None
        if job is None:
            return gr.skip(), gr.skip(), gr.skip(), gr.skip()
        status = view.esc(job.status())
        if job.state in ("done", "failed"):  # final: refresh the index view, stop polling
            choices = gr.update(choices=service.document_choices())
            return status, service.info_markdown(), choices, None
        return status, gr.skip(), gr.skip(), job_id

    def refresh():
        return service.info_markdown(), gr.update(choices=service.document_choices())

    def ask(query: str, k: int = 5, mode: str = "hybrid") -> dict:
        """Top-k passages for a query: the JSON object of `verifact ask --json`."""
        try:
            return service.ask(query, k, mode)
        except VerifactError as e:
            raise gr.Error(str(e)) from e

    def check(claim: str, k: int = 5, mode: str = "hybrid") -> dict:
        """A verdict with cited evidence for a claim: the JSON of `verifact check --json`."""
        try:
            return service.check(claim, k, mode)
        except VerifactError as e:
            raise gr.Error(str(e)) from e

    # Gradio's temp copies of uploads are deleted once indexed; this sweeps any left behind
    with gr.Blocks(title="verifact", analytics_enabled=False, delete_cache=(600, 3600)) as demo:
        gr.Markdown(INTRO)
        info = gr.Markdown(service.info_markdown(), elem_id="vf-info")
        with gr.Row():
            with gr.Column(scale=3):
                chatbot = gr.Chatbot(
                    label="Cited passages",
                    elem_id="vf-chat",
                    height=600,
                    sanitize_html=True,
                    allow_tags=False,
                    latex_delimiters=[],
                    feedback_options=None,
                    buttons=["copy"],
                    group_consecutive_messages=False,
                    autoscroll=False,  # SCROLL_TO_REPLY_JS shows the top of each new reply
                )
                msg = gr.Textbox(
                    label="Question or claim",
                    placeholder='e.g. "Who did Putin invite to Moscow?" or a claim to check',
                    elem_id="vf-input",
                    submit_btn="Ask",
                )
                gr.Examples(
                    [[e] for e in service.examples()], inputs=[msg], label="Try (from the corpus)"
                )
            with gr.Column(scale=1):
                k = gr.Slider(1, CHAT_MAX_K, value=5, step=1, label="Passages (k)", elem_id="vf-k")
                mode = gr.Radio(list(MODES), value="hybrid", label="Retrieval mode")
                force = gr.Radio(list(FORCE_CHOICES), value="auto", label="Treat message as")
                doc_ids = gr.Dropdown(
                    choices=service.document_choices(),
                    multiselect=True,
                    label="Only these sources, for questions (empty: all)",
                    elem_id="vf-docs",
                )
                files = gr.File(
                    file_count="multiple",
                    file_types=list(SUFFIXES),
                    label=f"Add sources ({' '.join(SUFFIXES)}; {service.limits.describe()})",
                    elem_id="vf-files",
                )
                add = gr.Button("Add to index", elem_id="vf-add")
                status = gr.Markdown(elem_id="vf-upload-status")
                job = gr.State(None)
                timer = gr.Timer(POLL_SECONDS)
        inputs = [msg, chatbot, k, mode, doc_ids, force]
        msg.submit(respond, inputs, [msg, chatbot], api_visibility="private").then(
            None, None, None, js=SCROLL_TO_REPLY_JS, api_visibility="private"
        )
        add.click(upload, [files], [status, job, files], api_visibility="private")
        timer.tick(
            poll,
            [job],
            [status, info, doc_ids, job],
            api_visibility="private",
            show_progress="hidden",
            queue=False,
        )
        demo.load(refresh, None, [info, doc_ids], api_visibility="private")
        gr.api(ask, api_name="ask")
        gr.api(check, api_name="check")
    return demo


def launch(
    index: Index,
    host: str = "127.0.0.1",
    port: int = 7860,
    share: bool = False,
    auth: str | tuple[str, str] | dict[str, str] | None = None,
    block: bool = True,
    limits: UploadLimits | None = None,
):
    """Serve the chat for ``index`` on ``host:port``; with ``block=False`` return the running
    Blocks (tests close it; ``demo.service`` is its ChatService).

    ``auth`` is "USER:PASSWORD", a (user, password) pair or {user: password}; wrong logins
    are answered ever more slowly (``Login``).

    Raises:
        InputError: bad ``auth`` (no colon, an empty user or password), or the port is taken.
    """
    import faiss

    faiss.omp_set_num_threads(1)  # one query at a time: extra OpenMP threads only contend
    login = Login(parse_credentials(auth)) if auth else None
    check_port(host, port)
    service = ChatService(index, limits)
    demo = build_app(service)
    demo.service = service
    demo.queue(default_concurrency_limit=CONCURRENCY)
    try:
        demo.launch(
            server_name=host,
            server_port=port,
            share=share,
            auth=login,
            css=view.CSS,
            max_file_size=f"{service.limits.file_mb:g}mb",
            ssr_mode=False,
            show_error=True,
            prevent_thread_lock=True,
            quiet=True,  # Gradio's own lines suggest launch(share=True): ours name the CLI flag
        )
    except OSError as e:  # lost a race for the port after check_port
        raise InputError(f"Cannot serve on {host}:{port} ({e}); pass another --port") from e
    print(f"* Running on local URL:  {demo.local_url.rstrip('/')}", flush=True)
    if demo.share_url:
        print(f"* Running on public URL: {demo.share_url}", flush=True)
    elif not share:
        print("* To create a public link, run verifact chat --share", flush=True)
    if block:
        demo.block_thread()
    return demo


def check_port(host: str, port: int) -> None:
    """Raise InputError (one line) when ``host:port`` cannot be bound, e.g. already in use."""
    if not 0 < port < 65536:
        raise InputError(f"Invalid port {port!r}; use 1-65535, e.g. --port 7861")
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
        try:
            s.bind((host, port))
        except OSError as e:
            raise InputError(
                f"Port {port} on {host} is not free ({e.strerror or e}); pass another port, "
                f"e.g. --port {port + 1 if port < 65535 else 7860} (make run PORT={port + 1})"
            ) from None


def parse_credentials(auth) -> dict[str, str]:
    """{user: password} from "USER:PASSWORD" lines, a pair or a dict; empty parts refused."""
    if isinstance(auth, dict):
        pairs = list(auth.items())
    elif isinstance(auth, tuple):
        pairs = [auth]
    else:
        pairs = []
        for line in str(auth).splitlines():
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            if ":" not in line:
                raise InputError("Invalid credentials line (no colon); expected USER:PASSWORD")
            user, password = line.strip().split(":", 1)
            pairs.append((user, password))
    if not pairs:
        raise InputError("No credentials given; expected USER:PASSWORD")
    for user, password in pairs:
        if not user.strip() or not password:
            raise InputError(
                f"Invalid credentials for user {user!r}: the user name and the password must "
                "both be non-empty (USER:PASSWORD)"
            )
    return dict(pairs)


class Login:
    """Gradio's auth callback: constant-time comparison, and each wrong login for a user name
    answered more slowly (0.5 s, 1 s, 2 s ... up to ``MAX_DELAY``), the count forgotten after
    ``FORGET`` seconds without failures. Async, so a delayed login never blocks the server."""

    MAX_DELAY = 8.0
    FORGET = 600.0

    def __init__(self, creds: dict[str, str]):
        self._creds = creds
        self._failures: dict[str, tuple[int, float]] = {}
        self._lock = threading.Lock()

    def delay(self, user: str) -> float:
        with self._lock:
            n, last = self._failures.get(user, (0, 0.0))
            if time.monotonic() - last > self.FORGET:
                n = 0
            return 0.0 if n == 0 else min(0.5 * 2 ** (n - 1), self.MAX_DELAY)

    def check(self, user: str, password: str) -> bool:
        want = self._creds.get(user)
        ok = want is not None and hmac.compare_digest(want.encode(), password.encode())
        with self._lock:
            if ok:
                self._failures.pop(user, None)
            else:
                n, last = self._failures.get(user, (0, 0.0))
                if time.monotonic() - last > self.FORGET:
                    n = 0
                self._failures[user] = (n + 1, time.monotonic())
        return ok

    async def __call__(self, user: str, password: str) -> bool:
        ok = self.check(user or "", password or "")
        if not ok:
            await asyncio.sleep(self.delay(user or ""))
        return ok
