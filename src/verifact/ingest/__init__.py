"""Ingest stage: files and folders -> Documents (.txt .md .html .pdf .docx .jsonl).

``readers``: ``load_documents(paths) -> IngestResult`` (documents + skipped files), ``SUFFIXES``.
"""

from .readers import SUFFIXES, IngestResult, load_documents

__all__ = ["SUFFIXES", "IngestResult", "load_documents"]
