"""Text to a phone case goes out as an SMS from the tenant's SMS number; without one it cannot go at all."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from omnicase.domain.errors import PermanentDeliveryFailure
from omnicase.domain.model import Channel, Message, Tenant
from omnicase.domain.ports import OutboundSender


def sms_number(endpoints: Iterable[str]) -> str | None:
    """The tenant's first SMS number (`sms:+1…`, or `sms:<provider>:+1…`)."""
    return next((e.rsplit(":", 1)[-1] for e in endpoints if e.startswith("sms:")), None)


@dataclass
class PhoneTextSender:
    sms: Callable[[], OutboundSender]  # the SMS channel's sender, built on first use

    def send(self, message: Message, tenant: Tenant) -> str:
        number = sms_number(tenant.endpoints)
        if number is None:
            raise PermanentDeliveryFailure("no SMS number: a text to a phone case has no way out (call them back)")
        return self.sms().send(replace(message, channel=Channel("sms"), sender=number), tenant)
