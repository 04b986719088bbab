"""A channel that exists only in tests ("fake"): a new package plus one registration line, nothing else.

It is laid out as a real channel package is (omnicase/channels/<name>/): traits, parse and verify, intake, sender,
plug-in. Its provider posts JSON signed with the tenant's `fake_desk_secret`; its sender hands messages to OUTBOX.
"""
