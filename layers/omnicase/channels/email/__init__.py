"""The email channel: SES receipt in, SES v2 out (MIME parsing is the omnicase.email library)."""
