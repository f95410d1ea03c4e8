"""Ingest: every supported type, folders, ids, and bad input reported, never silently lost."""

from __future__ import annotations

import shutil
import time

import pytest

from verifact.errors import InputError
from verifact.ingest.readers import load_documents, read_file
from verifact.ingest.sandbox import ReadLimits, load_file_limited

from conftest import DATA
from helpers import write_docx, write_docx_bomb, write_encrypted_pdf, write_pdf


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


# --- hostile and damaged files ----------------------------------------------------------------


def test_docx_zip_bomb_is_skipped_before_parsing(tmp_path):
    bomb = write_docx_bomb(tmp_path / "bomb.docx", inner_mb=8)
    assert bomb.stat().st_size < 100_000  # 8 MB inside
    t0 = time.perf_counter()
    result = read_file(bomb)
    assert time.perf_counter() - t0 < 2
    assert result.documents == []
    [(path, reason)] = result.skipped
    assert path.endswith("bomb.docx") and "zip bomb" in reason


def test_docx_declared_size_over_the_limit_is_skipped(tmp_path, monkeypatch):
    import verifact.ingest.readers as readers

    write_docx(tmp_path / "big.docx", "Big", ["Some text. " * 2000])
    monkeypatch.setattr(readers, "DOCX_MAX_UNZIPPED", 1000)
    assert "over the 0 MB limit" in readers.read_file(tmp_path / "big.docx").skipped[0][1]


def test_docx_streams_tables_tabs_and_breaks(tmp_path):
    import docx

    d = docx.Document()
    d.add_paragraph("Intro line.")
    run = d.add_paragraph().add_run("a")
    run.add_tab()
    run.add_text("b")
    run.add_break()
    run.add_text("c")
    d.add_table(rows=1, cols=2).rows[0].cells[0].text = "In a table."
    d.save(str(tmp_path / "t.docx"))
    doc = read_file(tmp_path / "t.docx").documents[0]
    assert doc.text == "Intro line.\na\tb\nc\nIn a table."


def test_untrusted_file_is_read_in_a_limited_process(tmp_path):
    big = tmp_path / "big.txt"
    big.write_text("word " * 12_000_000)  # 60 MB of text: over 120 MB once read and decoded
    result = load_file_limited(big, ReadLimits(memory_mb=120))
    assert result.documents == [] and "MB of memory" in result.skipped[0][1]
    ok = load_file_limited(DATA / "news.jsonl")
    assert [d.doc_id for d in ok.documents] == ["news-1", "news-2"]
    assert ok.documents == load_documents([DATA / "news.jsonl"]).documents


def test_mostly_utf8_with_bad_bytes_stays_utf8_with_a_warning(tmp_path):
    text = "Привет, мир. Это обычный текст о реках и озёрах. " * 20
    data = text.encode("utf-8")
    data = data[:100] + b"\xff\xfe" + data[100:]  # two damaged bytes
    (tmp_path / "ru.txt").write_bytes(data)
    result = load_documents([tmp_path / "ru.txt"])
    doc = result.documents[0]
    assert doc.text.startswith("Привет, мир.") and "\ufffd" in doc.text
    assert [why for _, why in result.warnings] == [
        "2 invalid UTF-8 byte sequence(s) replaced with U+FFFD"
    ]
    (tmp_path / "cp.txt").write_bytes(text.encode("cp1251"))  # really another encoding
    assert load_documents([tmp_path / "cp.txt"]).documents[0].text.startswith("Привет, мир.")


def test_markdown_is_indexed_as_text(tmp_path):
    (tmp_path / "n.md").write_text(
        "# Rivers\n\nThe **Nile** is *long*; see [the atlas](http://x.org).\n\n"
        "## Lakes\n\n- Baikal is deep\n- Titicaca is high\n\n| lake | depth |\n|---|---|\n"
        "| Baikal | 1642 m |\n\n```\ncode stays\n```\n"
    )
    doc = load_documents([tmp_path / "n.md"]).documents[0]
    assert doc.title == "Rivers"
    assert doc.text == (
        "Rivers\n\nThe Nile is long; see the atlas.\n\nLakes\n\nBaikal is deep\n\n"
        "Titicaca is high\n\nlake | depth\n\nBaikal | 1642 m\n\ncode stays"
    )


NEWS_PAGE = """<html><head><title>Otters return | City News</title></head><body>
<nav><a href="/">Home</a> | <a href="/world">World</a> | <a href="/weather">Weather</a></nav>
<main><article><h1>Otters return to the Thames</h1>
<p>Eurasian otters have been seen in the tidal Thames for the first time in decades,
wildlife surveyors said on Monday. The animals were filmed near Barnes.</p>
<p>Otters disappeared from most English rivers in the 1960s, when pesticides poisoned the fish
they ate. A ban on the chemicals and cleaner water have let them spread back.</p></article>
<aside><h3>Most read</h3><ul><li><a href="/a">Council tax to rise</a></li></ul></aside></main>
<footer><p>Copyright 2021 City News Ltd. All rights reserved.</p></footer></body></html>"""


def test_html_navigation_and_footers_are_not_indexed(tmp_path):
    (tmp_path / "news.html").write_text(NEWS_PAGE)
    doc = load_documents([tmp_path / "news.html"]).documents[0]
    assert doc.title == "Otters return | City News"
    assert "Eurasian otters have been seen" in doc.text and "cleaner water" in doc.text
    for boilerplate in ("Home", "Weather", "Copyright", "Council tax"):
        assert boilerplate not in doc.text
