"""Uploaded files: checked by their bytes, photos re-encoded without metadata and PDFs kept as sent.
A plain library: no web framework, no storage."""

from .processing import KINDS, Limits, PreparedFile, UploadRefused, allowed_types_text, prepare_upload, safe_file_name

__all__ = ["KINDS", "Limits", "PreparedFile", "UploadRefused", "allowed_types_text", "prepare_upload", "safe_file_name"]
