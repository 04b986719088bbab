"""Security headers of every HTML page we serve (survey page, help centre): nothing loads from elsewhere, no
script runs, no framing, no content sniffing."""

from __future__ import annotations

HTML_SECURITY_HEADERS = {
    "Content-Type": "text/html; charset=utf-8",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
}
