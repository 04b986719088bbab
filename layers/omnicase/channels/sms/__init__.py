"""The sms channel: provider payloads, signatures and formats (pure, no AWS)."""
