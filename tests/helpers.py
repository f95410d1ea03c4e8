"""Builders for test files that are easier to make than to ship (PDF, DOCX)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def write_pdf(path: Path, pages: list[str]) -> Path:
    """A minimal valid PDF with one line of Helvetica text per page."""
    objects = ["<< /Type /Catalog /Pages 2 0 R >>"]
    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(len(pages)))
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>")
    objects.append("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    for i, text in enumerate(pages):
        content = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1")
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            f"/Resources << /Font << /F1 3 0 R >> >> /Contents {5 + 2 * i} 0 R >>"
        )
        objects.append(
            f"<< /Length {len(content)} >>\nstream\n{content.decode('latin-1')}\nendstream"
        )
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    path.write_bytes(bytes(out))
    return path


def write_encrypted_pdf(path: Path, text: str, password: str = "secret") -> Path:
    from pypdf import PdfReader, PdfWriter

    plain = write_pdf(path.with_suffix(".plain.pdf"), [text])
    writer = PdfWriter()
    for page in PdfReader(plain).pages:
        writer.add_page(page)
    writer.encrypt(password)
    with open(path, "wb") as f:
        writer.write(f)
    plain.unlink()
    return path


def write_docx(path: Path, title: str, paragraphs: list[str]) -> Path:
    import docx

    d = docx.Document()
    d.core_properties.title = title
    for p in paragraphs:
        d.add_paragraph(p)
    d.save(str(path))
    return path


def write_docx_bomb(path: Path, inner_mb: int = 8) -> Path:
    """A valid .docx whose word/document.xml holds ``inner_mb`` MB of one repeated letter."""
    import zipfile

    plain = write_docx(path.with_suffix(".plain.docx"), "Bomb", ["Looks harmless."])
    pad = b"<w:p><w:r><w:t>" + b"A" * (inner_mb * 2**20) + b"</w:t></w:r></w:p>"
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/document.xml":
                data = data.replace(b"<w:body>", b"<w:body>" + pad, 1)
            out.writestr(info.filename, data, compresslevel=9)
    plain.unlink()
    return path


@contextmanager
def lock_held_elsewhere(index_dir: Path) -> Iterator[threading.Event]:
    """Another writer (a thread) holds ``index_dir``'s write lock until the yielded event is
    set, or the block ends."""
    from verifact.index.lock import write_lock

    held, release = threading.Event(), threading.Event()

    def other_writer():
        with write_lock(index_dir):
            held.set()
            release.wait(10)

    t = threading.Thread(target=other_writer)
    t.start()
    held.wait(10)
    try:
        yield release
    finally:
        release.set()
        t.join()
