"""Chat UI: an Index -> a ChatService behind a Gradio app (chat, uploads, /ask and /check)."""

from __future__ import annotations

from ..config import MODES
from ..errors import InputError, VerifactError
from ..ingest.readers import SUFFIXES
from ..search.search import Index
from . import view
from .chat import FORCE_CHOICES, MAX_UPLOAD_MB, ChatService

# Events running at once. Searches are serialised inside ChatService, so this only lets
# rendering and I/O of several requests overlap; the queue holds everyone else.
CONCURRENCY = 8
INTRO = (
    "### verifact: answers are quotes from your sources, with citations\n"
    "Ask a question or paste a claim. Every reply lists the matching passages verbatim, "
    "best sentence highlighted; nothing is generated."
)


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

    def upload(files, progress=gr.Progress()):  # noqa: B008 - Gradio's progress injection
        paths = [f if isinstance(f, str) else getattr(f, "name", str(f)) for f in files or []]

        def on_progress(done: int, total: int) -> None:
            if total:
                progress((done, total), desc="Embedding new passages", unit="passages")

        try:
            status = service.add_files(paths, on_progress).message()
        except VerifactError as e:
            status = f"Error: {e}"
        choices = gr.update(choices=service.document_choices())
        return view.esc(status), service.info_markdown(), choices, None

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

    with gr.Blocks(title="verifact", analytics_enabled=False) as demo:
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
                k = gr.Slider(1, 20, value=5, step=1, label="Passages (k)", elem_id="vf-k")
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
                    label=f"Add sources ({' '.join(SUFFIXES)}; up to {MAX_UPLOAD_MB} MB each)",
                    elem_id="vf-files",
                )
                add = gr.Button("Add to index", elem_id="vf-add")
                status = gr.Markdown(elem_id="vf-upload-status")
        inputs = [msg, chatbot, k, mode, doc_ids, force]
        msg.submit(respond, inputs, [msg, chatbot], api_visibility="private")
        add.click(upload, [files], [status, info, doc_ids, files], api_visibility="private")
        demo.load(refresh, None, [info, doc_ids], api_visibility="private")
        gr.api(ask, api_name="ask")
        gr.api(check, api_name="check")
    return demo


def launch(
    index: Index,
    host: str = "127.0.0.1",
    port: int = 7860,
    share: bool = False,
    auth: str | None = None,
    block: bool = True,
):
    """Serve the chat for ``index`` on ``host:port``; with ``block=False`` return the running
    Blocks (tests close it).

    Raises:
        InputError: ``auth`` without a colon.
    """
    import faiss

    faiss.omp_set_num_threads(1)  # one query at a time: extra OpenMP threads only contend
    creds = None
    if auth:
        if ":" not in auth:
            raise InputError(f"Invalid auth {auth!r}; expected USER:PASSWORD")
        user, password = auth.split(":", 1)
        creds = (user, password)
    demo = build_app(ChatService(index))
    demo.queue(default_concurrency_limit=CONCURRENCY)
    demo.launch(
        server_name=host,
        server_port=port,
        share=share,
        auth=creds,
        css=view.CSS,
        max_file_size=f"{MAX_UPLOAD_MB}mb",
        ssr_mode=False,
        show_error=True,
        prevent_thread_lock=not block,
    )
    return demo
