"""Errors raised by verifact's library code; the CLI and chat turn them into one-line messages."""

from __future__ import annotations


class VerifactError(Exception):
    """Base class: any failure caused by user input or state a user can fix."""


class InputError(VerifactError):
    """Raised for bad user input: missing paths, empty folders, empty queries, k < 1, bad flags."""


class ModelNotFoundError(InputError):
    """Raised when a model is neither a local folder nor in the local Hugging Face cache."""


class IndexNotFoundError(VerifactError):
    """Raised when an index directory does not exist or holds no index."""


class IndexCorruptError(VerifactError):
    """Raised when an index directory is incomplete, half-written or its files disagree."""


class IndexMismatchError(VerifactError):
    """Raised when an index was built with another model or dimension than the one asked for."""


class MissingDependencyError(VerifactError):
    """Raised when an optional dependency needed for a feature is not installed."""


class IndexBusyError(VerifactError):
    """Raised when another process or request is writing the same index directory."""


class ModelCorruptError(VerifactError):
    """Raised when a shipped or exported model file does not match its recorded sha256."""


class ShardUnavailableError(VerifactError):
    """Raised when a query cannot reach a shard of a sharded index (its message names it)."""
