"""SMTP front door of the local SES: accepts mail for the receipt rules' recipients and delivers it like SES.

Like SES (and Postfix's `smtpd_forbid_bare_newline = normalize`), a line of the mail may end in a bare LF, as an
.eml file saved on Unix and replayed with smtplib does: it is stored with CRLF. aiosmtpd alone reads such a mail
as one line and refuses it with "500 Line too long". Only <CRLF>.<CRLF> ends the data (no SMTP smuggling).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from omnicase_local.ses_receipt import ReceiptRule, new_message_id

logger = logging.getLogger("omnicase_local.smtp")
Deliver = Callable[..., str]
MAX_MESSAGE_BYTES = 40 * 1024 * 1024  # SES's limit for received mail
_CRLF = b"\r\n"


class _BareLfTolerantReader(asyncio.StreamReader):
    """aiosmtpd reads DATA with readuntil(CRLF); here a bare LF ends a line too, and the line is given back with CRLF.

    A lone dot ends the data only between two real CRLFs: after (or with) a bare LF it is content (sent back
    dot-stuffed, so aiosmtpd keeps it as a "." line).
    """

    _after_bare_lf = False

    async def readuntil(self, separator: bytes = b"\n") -> bytes:
        if separator != _CRLF:  # commands: aiosmtpd's own reading
            return await super().readuntil(separator)
        line = await super().readuntil(b"\n")
        bare = not line.endswith(_CRLF)
        if bare:
            line = line[:-1] + _CRLF
        if line == b"." + _CRLF and (bare or self._after_bare_lf):
            line = b".." + _CRLF
        self._after_bare_lf = bare
        return line


class SesSmtpHandler:
    """aiosmtpd handler: RCPT checked against the receipt rules, DATA stored and notified through `deliver`."""

    def __init__(self, rules: list[ReceiptRule], deliver: Deliver) -> None:
        self._rules = rules
        self._deliver = deliver
        # One worker keeps deliveries in arrival order and off the SMTP event loop.
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="omnicase-smtp")

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: list[str]) -> str:
        if not any(rule.enabled and rule.matches(address) for rule in self._rules):
            logger.info("rejected RCPT %s: no receipt rule matches", address)
            return "550 5.1.1 Requested action not taken: mailbox unavailable"
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(options)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message_id = new_message_id()
        raw = envelope.original_content or b""
        loop = asyncio.get_running_loop()
        try:
            await loop.run_in_executor(
                self._executor,
                lambda: self._deliver(raw, envelope.mail_from or "", list(envelope.rcpt_tos), message_id=message_id),
            )
        except Exception:
            logger.exception("delivery of %s failed", message_id)
            return "451 4.3.0 Temporary local problem, try again later"
        logger.info("accepted %s from %s for %s", message_id, envelope.mail_from, ", ".join(envelope.rcpt_tos))
        return f"250 Ok {message_id}"

    def close(self) -> None:
        """Let queued deliveries finish."""
        self._executor.shutdown(wait=True)


def start_smtp(handler: SesSmtpHandler, host: str, port: int) -> Any:
    """Serve SMTP on host:port in aiosmtpd's own thread; stop it with controller.stop()."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import SMTP

    class _SesSmtp(SMTP):
        def _cb_client_connected(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            reader.__class__ = _BareLfTolerantReader  # the connection's own reader, before anything is read
            super()._cb_client_connected(reader, writer)

    class _SesController(Controller):
        def factory(self) -> SMTP:
            return _SesSmtp(self.handler, **self.SMTP_kwargs)

    controller = _SesController(
        handler, hostname=host, port=port, data_size_limit=MAX_MESSAGE_BYTES, server_hostname="inbound-smtp.local"
    )
    controller.start()
    return controller
