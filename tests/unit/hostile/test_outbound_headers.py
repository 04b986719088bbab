"""Header injection in outbound mail: no CR/LF from a subject, name, address or id ever makes a header line."""

from __future__ import annotations

from email import message_from_bytes, policy

from hypothesis import example, given
from hypothesis import strategies as st

from omnicase.channels.email.compose_email import compose_email, single_line
from omnicase.domain.errors import PermanentDeliveryFailure
from tests.unit.channels.test_compose_email import outbound
from tests.unit.hostile.strategies import HOSTILE

CRLF_WORD = "=?utf-8?b?aGkNCkJjYzogdkB4?="  # "hi\r\nBcc: v@x"
INJECTIONS = st.sampled_from(
    ["hi\r\nBcc: victim@x.example", "hi\nTo: other@x.example", "hi\rX-Evil: 1", "\r\n\r\nbody injected",
     "a\x00b", "line\u2028sep\u2029para\x85nel", "\ud800 lone", "x" * 2000, CRLF_WORD]
)  # fmt: skip
HEADER_TEXT = st.one_of(INJECTIONS, st.text(max_size=80), st.lists(INJECTIONS | st.text(max_size=10)).map("".join))
THREADED = {"From", "To", "Subject", "Date", "Message-ID", "In-Reply-To", "References", "X-Omnicase-Case"}
EXPECTED = THREADED | {"X-Omnicase-Loop", "MIME-Version", "Content-Type", "Content-Transfer-Encoding"}
AUTOMATIC = {"Auto-Submitted", "X-Auto-Response-Suppress", "Precedence"}


def everywhere(value: str, **overrides: object) -> dict[str, object]:
    """The same hostile value in every field of the property below, but for the overrides."""
    fields = ("subject", "from_name", "recipient", "in_reply_to", "reference", "body")
    return {**dict.fromkeys(fields, value), "auto": True, **overrides}


def composed_headers(**fields) -> tuple[dict[str, str], bytes, object]:
    auto = fields.pop("auto_submitted", False)
    name = fields.pop("from_name", "Acme Support")
    in_reply_to, references = fields.pop("in_reply_to", "orig@example.com"), fields.pop("references", ("root@x",))
    mime = compose_email(
        outbound(**fields), from_name=name, in_reply_to=in_reply_to, references=references, auto_submitted=auto
    )
    raw = mime.as_bytes()
    parsed = message_from_bytes(raw, policy=policy.default)
    return {k: str(v) for k, v in parsed.items()}, raw, parsed


@HOSTILE
@given(
    subject=HEADER_TEXT,
    from_name=HEADER_TEXT,
    recipient=st.sampled_from(["ann@example.com", "a+b@x.example", "张伟@例子.公司"]) | HEADER_TEXT,
    in_reply_to=HEADER_TEXT,
    reference=HEADER_TEXT,
    body=HEADER_TEXT,
    auto=st.booleans(),
)
@example(**everywhere("hi\r\nBcc: victim@x.example", recipient="ann@example.com\r\nBcc: victim@x.example"))
@example(**everywhere(CRLF_WORD, body="ok"))  # an encoded word decoding to CR/LF became a real Bcc line (fixed)
@example(**everywhere("s", recipient=":;0"))  # a group, not an address: AttributeError in the email package (fixed)
# U+2028 / NEL raised ValueError, a lone surrogate UnicodeEncodeError: a send that could never succeed (fixed)
@example(**everywhere("a\u2028b", from_name="a\x85b", recipient="ann@example.com", body="\ud800"))
def test_the_header_set_is_exactly_what_compose_email_writes(
    subject, from_name, recipient, in_reply_to, reference, body, auto
):
    try:
        headers, raw, parsed = composed_headers(
            subject=subject,
            from_name=from_name,
            recipients=(recipient,),
            in_reply_to=in_reply_to,
            references=(reference,),
            body_text=body,
            auto_submitted=auto,
        )
    except PermanentDeliveryFailure as refused:  # recorded as failed by the outbox, never retried
        assert "is not an email address" in str(refused)
        return
    names = [name for name, _ in parsed.items()]
    assert len(names) == len(set(names)), "no header appears twice"
    threading = set() if in_reply_to else {"In-Reply-To"}
    assert set(names) == (EXPECTED | (AUTOMATIC if auto else set())) - threading
    for name in ("Subject", "From", "To", "References"):
        assert "\r" not in headers[name] and "\n" not in headers[name]
    # The customer's text is kept, on one line (the stdlib's folding may drop a space beside an encoded word).
    assert "".join(headers["Subject"].split()) == "".join(single_line(subject).split())
    head = raw.split(b"\n\n", 1)[0].splitlines()
    assert not [line for line in head if line.lower().startswith((b"bcc:", b"x-evil:", b"cc:"))]
