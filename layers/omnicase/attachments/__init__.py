"""Files both ways: agents' uploads checked against the case's channel, customers' media fetched into the bucket.

Every attachment's bytes live in the mail bucket under `attachments/<tenant>/`; the domain only sees Attachment
records and each channel's FileRules (domain/channel_traits.py).
"""
