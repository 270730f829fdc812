"""The one exception of ingest, and what its messages share: the formats it takes and sizes as people read them."""

from __future__ import annotations

SUPPORTED = ".txt, .md, .html, .htm or .docx"


class IngestError(ValueError):
    """An upload, or a page at a web address, that cannot be turned into text. The message names the file or the
    address and is written for its owner; ``code`` is a stable name for the problem (too_large, empty, binary,
    mismatch, unsupported, bad_name, zip_bomb, not_docx, no_text, too_complex; for a fetched page bad_url,
    bad_scheme, private_address, unreachable, tls, timeout, redirect_loop, too_many_redirects, http_status,
    bad_response, not_html, undecodable, no_article)."""

    def __init__(self, message: str, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.code = code


def format_size(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f}".removesuffix(".0") + " KB"
    return f"{size / (1024 * 1024):.1f}".removesuffix(".0") + " MB"
