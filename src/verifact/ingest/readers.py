"""Ingest stage: files and folders -> Documents (.txt .md .html .pdf .docx .jsonl)."""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from ..types import Document

SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".pdf", ".docx", ".jsonl")
_TITLE_MAX = 100


@dataclass
class IngestResult:
    """Documents read, plus every file or line skipped with the reason (never dropped silently)."""

    documents: list[Document] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path or path:line, reason)


class _Skip(Exception):
    """A file that cannot be read; it is reported and counted, not fatal."""


def load_documents(paths: list[str | Path]) -> IngestResult:
    """Read every supported file under ``paths`` (files or folders, recursively).

    Document ids are paths relative to the folder given (the file name for a file), so they
    stay stable across rebuilds. Hidden files and folders are ignored.

    Raises:
        InputError: a path does not exist, a file given by name has an unsupported type, or
            nothing readable was found.
    """
    if not paths:
        raise InputError("No source paths given; pass files or folders, e.g. verifact index docs/")
    result = IngestResult()
    seen: set[str] = set()
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
            for path in files:
                rel = path.relative_to(root).as_posix()
                _ingest_file(path, rel, result, seen, explicit=False)
        else:
            if root.suffix.lower() not in SUFFIXES:
                raise InputError(
                    f"Unsupported file type {root.suffix!r} for {str(raw)!r}; "
                    f"expected one of {' '.join(SUFFIXES)}"
                )
            _ingest_file(root, root.name, result, seen, explicit=True)
    if not result.documents:
        reasons = "; ".join(f"{p}: {r}" for p, r in result.skipped[:3])
        raise InputError(
            f"No readable documents in {[str(p) for p in paths]!r}"
            + (f" ({reasons})" if reasons else "")
            + f"; supported types are {' '.join(SUFFIXES)}"
        )
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
        text, title, pages = _EXTRACTORS[suffix](path)
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
    text = _decode(data)
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


def _decode(data: bytes) -> str:
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _Skip("binary file (contains NUL bytes)")
    try:
        return _normalise_newlines(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise _Skip("unknown text encoding; convert it to UTF-8")
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


def _read_text(path: Path) -> tuple[str, str, tuple[int, ...]]:
    return _decode(path.read_bytes()), "", ()


def _read_markdown(path: Path) -> tuple[str, str, tuple[int, ...]]:
    text = _decode(path.read_bytes())
    match = re.search(r"^#\s+(.+)$", text, flags=re.MULTILINE)
    return text, match.group(1).strip() if match else "", ()


def _read_html(path: Path) -> tuple[str, str, tuple[int, ...]]:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(_decode(path.read_bytes()), "html.parser")
    title = soup.title.get_text(" ", strip=True) if soup.title else ""
    for tag in soup(["script", "style", "noscript", "template", "head"]):
        tag.decompose()
    lines = (re.sub(r"[ \t\u00a0]+", " ", ln).strip() for ln in soup.get_text("\n").splitlines())
    return "\n".join(ln for ln in lines if ln), title, ()


def _read_pdf(path: Path) -> tuple[str, str, tuple[int, ...]]:
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


def _read_docx(path: Path) -> tuple[str, str, tuple[int, ...]]:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, ValueError, KeyError) as e:
        raise _Skip(f"unreadable .docx ({type(e).__name__})") from e
    except Exception as e:  # noqa: BLE001 - zipfile.BadZipFile and friends
        raise _Skip(f"unreadable .docx ({type(e).__name__})") from e
    text = "\n".join(p.text.strip() for p in document.paragraphs if p.text.strip())
    title = (document.core_properties.title or "").strip()
    return text, title, ()


_EXTRACTORS = {
    ".txt": _read_text,
    ".md": _read_markdown,
    ".markdown": _read_markdown,
    ".html": _read_html,
    ".htm": _read_html,
    ".pdf": _read_pdf,
    ".docx": _read_docx,
}
