"""Ingest stage: files and folders -> Documents (.txt .md .html .pdf .docx .jsonl)."""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..errors import InputError
from ..types import Document
from .formats import html_main_text, markdown_text

SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".pdf", ".docx", ".jsonl")
_TITLE_MAX = 100


@dataclass
class IngestResult:
    """Documents read, plus every file or line skipped with the reason (never dropped silently)."""

    documents: list[Document] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path or path:line, reason)
    warnings: list[tuple[str, str]] = field(default_factory=list)  # read, but with a caveat


class _Skip(Exception):
    """A file that cannot be read; it is reported and counted, not fatal."""


# A .docx is a zip: these bound what reading one may unpack, before any XML is parsed. Text XML
# compresses 5-20x; a part that claims far more is a zip bomb (a 147 KB file can hold 50 MB).
DOCX_MAX_UNZIPPED = 200 * 2**20  # bytes, all parts read together
ZIP_MAX_RATIO = 100  # uncompressed / compressed, checked for parts over ZIP_RATIO_FROM bytes
ZIP_RATIO_FROM = 2**20
# A file that fails strict UTF-8 but whose invalid bytes are at most this share of its non-ASCII
# bytes is UTF-8 with a few damaged bytes (replaced by U+FFFD, with a warning), not another
# encoding: text in a legacy 8-bit encoding almost never forms valid multi-byte UTF-8.
UTF8_MAX_INVALID_SHARE = 0.05


def load_documents(paths: list[str | Path]) -> IngestResult:
    """Read every supported file under ``paths`` (files or folders, recursively).

    Document ids are paths relative to the folder given (the file name for a file), so they
    stay stable across rebuilds. Hidden files and folders are ignored.

    Raises:
        InputError: a path does not exist, a file given by name has an unsupported type, or
            nothing readable was found.
    """
    files = source_files(paths)
    return merge_results([read_source(*f) for f in files], paths)


def source_files(paths: list[str | Path]) -> list[tuple[Path, str, bool]]:
    """Every file ``load_documents(paths)`` reads, in its order: (path, doc id, named).

    ``named`` is True for a file given by name rather than found in a folder. Reading them
    one by one with ``read_source`` and joining the results with ``merge_results`` gives what
    ``load_documents`` gives; a distributed build reads them on many machines that way.

    Raises:
        InputError: as ``load_documents``.
    """
    if not paths:
        raise InputError("No source paths given; pass files or folders, e.g. verifact index docs/")
    out: list[tuple[Path, str, bool]] = []
    for raw in paths:
        root = Path(raw).expanduser()
        if not root.exists():
            raise InputError(f"Source path {str(raw)!r} does not exist; check the path and retry")
        if root.is_dir():
            files = sorted(p for p in _walk(root))
            if not files:
                raise InputError(
                    f"Folder {str(raw)!r} holds no files; add {' '.join(SUFFIXES)} files to it"
                )
            out.extend((path, path.relative_to(root).as_posix(), False) for path in files)
        else:
            if root.suffix.lower() not in SUFFIXES:
                raise InputError(
                    f"Unsupported file type {root.suffix!r} for {str(raw)!r}; "
                    f"expected one of {' '.join(SUFFIXES)}"
                )
            out.append((root, root.name, True))
    return out


class _Unseen(set):
    """A ``seen`` set that remembers nothing: ids stay as read until ``merge_results``."""

    def add(self, item) -> None:
        pass


def read_source(path: Path, rel: str, named: bool = False) -> IngestResult:
    """The documents of one file (one, or one per line of a JSONL file); their ids are not yet
    made unique across files (``merge_results`` does that)."""
    result = IngestResult()
    _ingest_file(Path(path), rel, result, _Unseen(), explicit=named)
    return result


def merge_results(results: list[IngestResult], paths: list[str | Path]) -> IngestResult:
    """Join per-file results in order, making document ids unique as one pass would.

    Raises:
        InputError: no readable document at all (``paths`` is named in the message).
    """
    merged = IngestResult()
    seen: set[str] = set()
    for r in results:
        merged.documents.extend(replace(d, doc_id=_unique(d.doc_id, seen)) for d in r.documents)
        merged.skipped.extend(r.skipped)
        merged.warnings.extend(r.warnings)
    if not merged.documents:
        reasons = "; ".join(f"{p}: {r}" for p, r in merged.skipped[:3])
        raise InputError(
            f"No readable documents in {[str(p) for p in paths]!r}"
            + (f" ({reasons})" if reasons else "")
            + f"; supported types are {' '.join(SUFFIXES)}"
        )
    return merged


def read_file(path: str | Path) -> IngestResult:
    """One file as ``load_documents([path])`` reads it, except that a file with nothing
    readable comes back in ``skipped`` instead of raising (for uploads: one file of many)."""
    path = Path(path)
    result = IngestResult()
    _ingest_file(path, path.name, result, set(), explicit=True)
    return result


def _walk(root: Path):
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in filenames:
            if not name.startswith("."):
                yield Path(dirpath) / name


def _unique(doc_id: str, seen: set[str]) -> str:
    candidate, n = doc_id, 2
    while candidate in seen:
        candidate, n = f"{doc_id}~{n}", n + 1
    seen.add(candidate)
    return candidate


def _ingest_file(path: Path, rel: str, result: IngestResult, seen: set[str], explicit: bool):
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        result.skipped.append((str(path), f"unsupported type {suffix or '(none)'!r}"))
        return
    try:
        if suffix == ".jsonl":
            _ingest_jsonl(path, result, seen)
            return
        text, title, pages = _EXTRACTORS[suffix](path, result.warnings)
    except _Skip as e:
        result.skipped.append((str(path), str(e)))
        return
    except OSError as e:
        result.skipped.append((str(path), f"unreadable ({e.strerror or type(e).__name__})"))
        return
    if not text.strip():
        result.skipped.append((str(path), "no text could be extracted"))
        return
    doc = Document(
        doc_id=_unique(rel, seen),
        text=text,
        source=str(path),
        title=title or _title_from_text(text) or path.stem,
        pages=pages,
    )
    result.documents.append(doc)


def _ingest_jsonl(path: Path, result: IngestResult, seen: set[str]) -> None:
    data = path.read_bytes()
    text = _decode(data, str(path), result.warnings)
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}:{lineno}"
        try:
            obj = json.loads(line)
        except ValueError:
            result.skipped.append((where, "not valid JSON"))
            continue
        if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
            result.skipped.append((where, 'no "text" string field'))
            continue
        body = _normalise_newlines(obj["text"])
        if not body.strip():
            result.skipped.append((where, "empty text"))
            continue
        raw_id = obj.get("id", obj.get("_id", f"{path.stem}:{lineno}"))
        url = str(obj.get("url") or "")
        result.documents.append(
            Document(
                doc_id=_unique(str(raw_id), seen),
                text=body,
                source=url or where,
                title=str(obj.get("title") or "") or _title_from_text(body),
                date=str(obj.get("date") or ""),
                url=url,
            )
        )


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _decode(data: bytes, where: str = "", warnings: list | None = None) -> str:
    """Text of a file: UTF-8 (BOM allowed), UTF-16 with a BOM, else the detected encoding.

    A UTF-8 file with a few invalid bytes stays UTF-8: they become U+FFFD and a warning is
    added to ``warnings`` (detection would otherwise read the whole file as, say, cp1251).
    """
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _Skip("binary file (contains NUL bytes)")
    try:
        return _normalise_newlines(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        pass
    if not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-8-sig", errors="replace")
        bad = text.count("\ufffd") - data.count("\ufffd".encode())
        non_ascii = sum(1 for c in text if ord(c) > 127) - bad
        if non_ascii > 0 and bad <= UTF8_MAX_INVALID_SHARE * (non_ascii + bad):
            if warnings is not None:
                warnings.append(
                    (where, f"{bad} invalid UTF-8 byte sequence(s) replaced with U+FFFD")
                )
            return _normalise_newlines(text)
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise _Skip("unknown text encoding; convert it to UTF-8")
    if warnings is not None and best.encoding not in ("ascii", "utf_8"):
        warnings.append((where, f"not UTF-8; read as {best.encoding}"))
    return _normalise_newlines(str(best))


def _title_from_text(text: str) -> str:
    """A short first line that reads like a heading (no final full stop) is the title."""
    for line in text.splitlines():
        line = line.strip().lstrip("#").strip()
        if not line:
            continue
        if len(line) <= _TITLE_MAX and not line.endswith((".", "?", "!", ":", ";", ",")):
            return line
        return ""
    return ""


def _read_text(path: Path, warnings: list) -> tuple[str, str, tuple[int, ...]]:
    return _decode(path.read_bytes(), str(path), warnings), "", ()


def _read_markdown(path: Path, warnings: list) -> tuple[str, str, tuple[int, ...]]:
    """Markdown as the text a reader sees: no ``#``, ``*``, link targets or table pipes."""
    return (*markdown_text(_decode(path.read_bytes(), str(path), warnings)), ())


def _read_html(path: Path, warnings: list) -> tuple[str, str, tuple[int, ...]]:
    """The page's main text (trafilatura: navigation, footers, sidebars and ads dropped),
    or, when it finds none, every visible line."""
    from bs4 import BeautifulSoup

    html = _decode(path.read_bytes(), str(path), warnings)
    soup = BeautifulSoup(html, "html.parser")
    title = soup.title.get_text(" ", strip=True) if soup.title else ""
    main = html_main_text(html)
    if main:
        return main, title, ()
    for tag in soup(["script", "style", "noscript", "template", "head"]):
        tag.decompose()
    lines = (re.sub(r"[ \t\u00a0]+", " ", ln).strip() for ln in soup.get_text("\n").splitlines())
    return "\n".join(ln for ln in lines if ln), title, ()


def _read_pdf(path: Path, warnings: list) -> tuple[str, str, tuple[int, ...]]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(path)
        if reader.is_encrypted and not reader.decrypt(""):
            raise _Skip("encrypted PDF (needs a password); save a decrypted copy")
        pages, parts, offset = [], [], 0
        for page in reader.pages:
            text = _normalise_newlines(page.extract_text() or "").strip()
            pages.append(offset)
            parts.append(text)
            offset += len(text) + 2  # the "\n\n" page separator
        meta_title = ""
        if reader.metadata and reader.metadata.title:
            meta_title = str(reader.metadata.title).strip()
    except _Skip:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError) as e:
        raise _Skip(f"unreadable PDF ({type(e).__name__})") from e
    except Exception as e:  # noqa: BLE001 - pypdf raises many types on encrypted/odd files
        if "crypt" in str(e).lower() or "AES" in str(e):
            raise _Skip("encrypted PDF; save a decrypted copy") from e
        raise _Skip(f"unreadable PDF ({type(e).__name__}: {str(e)[:80]})") from e
    return "\n\n".join(parts), meta_title, tuple(pages)


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_DOCX_CHARS = {f"{_W}tab": "\t", f"{_W}ptab": "\t", f"{_W}br": "\n", f"{_W}cr": "\n",
               f"{_W}noBreakHyphen": "-"}  # fmt: skip


def _read_docx(path: Path, warnings: list) -> tuple[str, str, tuple[int, ...]]:
    """Paragraph texts of ``word/document.xml`` (tables and text boxes included), streamed.

    The zip's declared sizes are checked first (zipfile never unpacks past them), then the XML
    is parsed incrementally with entities off, so memory stays flat whatever the file holds.
    """
    import zipfile

    try:
        with zipfile.ZipFile(path) as zf:
            body = _zip_member(zf, "word/document.xml", path)
            core = _zip_member(zf, "docProps/core.xml", path, required=False)
            _check_zip_sizes([m for m in (body, core) if m is not None], path)
            with zf.open(body) as f:
                paragraphs = list(_docx_paragraphs(f))
            title = _docx_title(zf.read(core)) if core is not None else ""
    except _Skip:
        raise
    except Exception as e:  # noqa: BLE001 - zipfile.BadZipFile, lxml XMLSyntaxError and friends
        raise _Skip(f"unreadable .docx ({type(e).__name__})") from e
    return "\n".join(p for p in paragraphs if p), title, ()


def _zip_member(zf, name: str, path: Path, required: bool = True):
    try:
        return zf.getinfo(name)
    except KeyError:
        if required:
            raise _Skip(f"unreadable .docx (no {name}: not a Word document)") from None
        return None


def _check_zip_sizes(members, path: Path) -> None:
    total = sum(m.file_size for m in members)
    if total > DOCX_MAX_UNZIPPED:
        raise _Skip(
            f"unpacks to {total / 2**20:,.0f} MB, over the {DOCX_MAX_UNZIPPED // 2**20} MB "
            "limit for a .docx (a zip bomb?); save it as a smaller file"
        )
    for m in members:
        ratio = m.file_size / max(m.compress_size, 1)
        if m.file_size > ZIP_RATIO_FROM and ratio > ZIP_MAX_RATIO:
            raise _Skip(
                f"{m.filename} is compressed {ratio:,.0f}:1 (limit {ZIP_MAX_RATIO}:1): "
                "a zip bomb, not a document"
            )


def _docx_paragraphs(f):
    """Yield each ``w:p``'s text (runs, tabs, breaks) as the XML streams by."""
    from lxml import etree

    stack: list[list[str]] = []
    events = etree.iterparse(
        f, events=("start", "end"), resolve_entities=False, no_network=True, huge_tree=False
    )
    for event, el in events:
        tag = el.tag
        if event == "start":
            if tag == f"{_W}p":
                stack.append([])
            continue
        if tag == f"{_W}p":
            text = "".join(stack.pop()).strip()
            el.clear()
            if text:
                yield text
        elif stack and tag == f"{_W}t":
            stack[-1].append(el.text or "")
            el.clear()
        elif stack and tag in _DOCX_CHARS:
            stack[-1].append(_DOCX_CHARS[tag])
        elif not stack and tag != f"{_W}body":
            el.clear()  # tables, sections: text already taken from their paragraphs


def _docx_title(xml: bytes) -> str:
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    root = etree.fromstring(xml, parser)
    node = root.find("{http://purl.org/dc/elements/1.1/}title")
    return (node.text or "").strip() if node is not None else ""


_EXTRACTORS = {
    ".txt": _read_text,
    ".md": _read_markdown,
    ".markdown": _read_markdown,
    ".html": _read_html,
    ".htm": _read_html,
    ".pdf": _read_pdf,
    ".docx": _read_docx,
}
