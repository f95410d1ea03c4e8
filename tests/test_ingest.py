"""Ingest: every supported type, folders, ids, and bad input reported, never silently lost."""

from __future__ import annotations

import shutil

import pytest

from verifact.errors import InputError
from verifact.ingest.readers import load_documents

from conftest import DATA
from helpers import write_docx, write_encrypted_pdf, write_pdf


def test_folder_reads_every_supported_type(tmp_path):
    shutil.copytree(DATA, tmp_path / "docs", ignore=shutil.ignore_patterns("chat*"))
    write_pdf(
        tmp_path / "docs" / "report.pdf", ["Page one talks about otters.", "Page two: beavers."]
    )
    write_docx(tmp_path / "docs" / "memo.docx", "Memo", ["Budget approved.", "Meeting on Friday."])
    result = load_documents([tmp_path / "docs"])
    ids = {d.doc_id for d in result.documents}
    assert {"landmarks.txt", "health.md", "space.html", "report.pdf", "memo.docx"} <= ids
    assert {"news-1", "news-2"} <= ids
    by_id = {d.doc_id: d for d in result.documents}
    assert by_id["health.md"].title == "Vitamins and colds"
    assert by_id["space.html"].title == "Space facts"
    assert "ignored" not in by_id["space.html"].text  # script text dropped
    assert "Phobos and Deimos" in by_id["space.html"].text
    assert by_id["news-1"].url == "https://example.org/bridge"
    assert by_id["news-1"].date == "2021-05-03"
    assert by_id["memo.docx"].title == "Memo"
    pdf = by_id["report.pdf"]
    assert "otters" in pdf.text and "beavers" in pdf.text
    assert pdf.page_at(pdf.text.index("otters")) == 1
    assert pdf.page_at(pdf.text.index("beavers")) == 2


def test_ids_are_relative_paths_and_stable(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "x.txt").write_text("Some text here.")
    (tmp_path / "a" / ".hidden.txt").write_text("hidden")
    first = [d.doc_id for d in load_documents([tmp_path / "a"]).documents]
    assert first == ["b/x.txt"]
    assert first == [d.doc_id for d in load_documents([tmp_path / "a"]).documents]


def test_bad_files_are_skipped_with_reasons(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "good.txt").write_text("A good document about rivers.")
    (docs / "binary.txt").write_bytes(b"\x00\x01\x02\x03" * 50)
    (docs / "image.png").write_bytes(b"\x89PNG\r\n")
    (docs / "broken.pdf").write_bytes(b"%PDF-1.4 garbage")
    write_encrypted_pdf(docs / "locked.pdf", "Secret text")
    (docs / "bad.jsonl").write_text('{"id": "ok", "text": "fine"}\nnot json\n{"id": "x"}\n')
    (docs / "latin1.txt").write_bytes(
        "Café au lait à la crème brûlée, très bien.".encode("latin-1")
    )
    result = load_documents([docs])
    ids = {d.doc_id for d in result.documents}
    assert ids == {"good.txt", "ok", "latin1.txt"}
    latin = next(d for d in result.documents if d.doc_id == "latin1.txt")
    assert "Café" in latin.text
    reasons = {path.rsplit("/", 1)[-1]: why for path, why in result.skipped}
    assert "binary" in reasons["binary.txt"]
    assert "unsupported" in reasons["image.png"]
    assert "PDF" in reasons["broken.pdf"]
    assert "encrypted" in reasons["locked.pdf"]
    assert "JSON" in reasons["bad.jsonl:2"]
    assert "text" in reasons["bad.jsonl:3"]
    assert len(result.skipped) == 6


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda p: p / "missing", "does not exist"),
        (lambda p: (p / "empty").mkdir() or p / "empty", "holds no files"),
        (lambda p: (p / "x.xyz").write_text("x") and p / "x.xyz", "Unsupported file type '.xyz'"),
        (lambda p: (p / "e.txt").write_text("   \n ") and p / "e.txt", "No readable documents"),
    ],
)
def test_input_errors_name_the_value(tmp_path, make, message):
    path = make(tmp_path)
    with pytest.raises(InputError, match=message) as e:
        load_documents([path])
    assert str(path.name) in str(e.value)
