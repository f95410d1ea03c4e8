"""App stage: the only modules that print, read argv or the environment, or serve HTTP.

``cli`` (``main(argv) -> exit code``: the ``verifact`` command), ``chat`` (``ChatService``:
messages -> HTML replies, uploads -> a rebuilt index), ``ui`` (``launch(index)``: the Gradio
app), ``view`` (hits and verdicts as HTML), ``upload`` (uploaded files -> the index).

Nothing is imported here: the ``verifact`` command imports ``verifact.app.cli`` first, and its
``--help`` must not wait for the chat's imports.
"""
