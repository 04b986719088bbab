"""omnicase: omnichannel customer-service intake, routing and SLA (the shared Lambda layer)."""

from omnicase.observability import install_pii_masking

install_pii_masking()  # before any module logs: no email address or phone number reaches a log in clear

import omnicase.channels  # noqa: E402, F401 - registers the built-in channels' traits before the domain asks for them
