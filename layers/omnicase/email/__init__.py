"""Email normalization: raw RFC 5322 / MIME bytes to a ParsedEmail, and its classification."""
