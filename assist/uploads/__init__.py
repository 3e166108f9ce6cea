"""Uploaded files: checked by their bytes, photos re-encoded without metadata, PDFs kept as sent,
and an optional ClamAV scan. A plain library: no web framework, no storage."""

from .processing import KINDS, Limits, PreparedFile, UploadRefused, allowed_types_text, prepare_upload, safe_file_name
from .scanning import Scanner, ScanResult

__all__ = [
    "KINDS", "Limits", "PreparedFile", "ScanResult", "Scanner", "UploadRefused", "allowed_types_text",
    "prepare_upload", "safe_file_name",
]
