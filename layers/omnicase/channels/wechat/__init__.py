"""The wechat channel: provider payloads, signatures and formats (pure, no AWS)."""
