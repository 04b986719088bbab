"""The domain: pure rules of cases, messages and customers (no AWS)."""
