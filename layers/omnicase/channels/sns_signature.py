"""Amazon SNS message signatures (SignatureVersion 1 = SHA1, 2 = SHA256), verified against SNS's certificate.

Certificate validity dates are deliberately not checked: AWS rotates its signing certificates and recommends
trusting a certificate by where it comes from (https on an `sns.<region>.amazonaws.com` host). Everything that can
be checked without the network (Type, SignatureVersion, the signature's encoding, every signed field, the
certificate URL) is checked before anything is fetched, so a forged message costs us no request. It also lets the
published test vectors, whose certificates expired, verify.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable, Mapping
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

SNS_HOSTS = r"^sns\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$"
_HASHES: dict[str, Callable[[], hashes.HashAlgorithm]] = {"1": hashes.SHA1, "2": hashes.SHA256}
_SIGNED_KEYS = {
    "Notification": ("Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"),
    "SubscriptionConfirmation": ("Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"),
    "UnsubscribeConfirmation": ("Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"),
}
_OPTIONAL = frozenset({"Subject"})
# Scheme, a bare host (no userinfo, port or backslash) and a path ending .pem; no query or fragment.
_CERT_URL = re.compile(r"https://([^/?#@:\\\s]+)(/[^?#\\\s]*\.pem)")
_PEM = re.compile(rb"-----BEGIN CERTIFICATE-----\r?\n[A-Za-z0-9+/=\r\n]+-----END CERTIFICATE-----")


class SnsSignatureInvalid(Exception):
    """The message is not provably from SNS; the argument says why."""

    reason = "bad-signature"


class SnsCertificateUnavailable(Exception):
    """The signing certificate could not be fetched now (network, timeout, 5xx): nothing is known about the message."""


def verify_sns_message(
    message: Mapping[str, Any],
    *,
    fetch_certificate: Callable[[str], bytes],
    trusted_hosts_pattern: str = SNS_HOSTS,
) -> None:
    """Raise SnsSignatureInvalid unless the SNS message (HTTP body or Lambda `Sns` record) is signed by SNS."""
    kind = message.get("Type")
    if not isinstance(kind, str) or kind not in _SIGNED_KEYS:
        raise SnsSignatureInvalid(f"unknown SNS message Type {str(kind)[:40]!r}")
    version = message.get("SignatureVersion")
    if not isinstance(version, str) or version not in _HASHES:
        raise SnsSignatureInvalid(f"unsupported SignatureVersion {str(version)[:10]!r}")
    signature = _signature(message.get("Signature"))
    signed = string_to_sign(message)
    url = message.get("SigningCertURL", message.get("SigningCertUrl"))
    check_certificate_url(url, trusted_hosts_pattern)
    public_key = _public_key(fetch_certificate(url))  # only now: the fetcher may raise SnsCertificateUnavailable
    try:
        public_key.verify(signature, signed, padding.PKCS1v15(), _HASHES[version]())
    except InvalidSignature:
        raise SnsSignatureInvalid("signature does not match the message") from None


def string_to_sign(message: Mapping[str, Any]) -> bytes:
    """`name\\nvalue\\n` for each signed key of the message's Type, in byte order (Subject only if present)."""
    lines = []
    for key in _SIGNED_KEYS[message["Type"]]:
        value = message.get(key)
        if value is None and key in _OPTIONAL:
            continue
        if not isinstance(value, str):
            raise SnsSignatureInvalid(f"signed field {key} is {'missing' if value is None else 'not a string'}")
        lines.append(f"{key}\n{value}\n")
    return "".join(lines).encode("utf-8", "surrogatepass")


def check_certificate_url(url: Any, trusted_hosts_pattern: str = SNS_HOSTS) -> None:
    """Raise unless the certificate URL is https, on a trusted SNS host, with a path ending in .pem."""
    match = _CERT_URL.fullmatch(url) if isinstance(url, str) else None
    if match is None:
        raise SnsSignatureInvalid(f"SigningCertURL is not an https URL of a .pem file: {str(url)[:200]!r}")
    if not re.match(trusted_hosts_pattern, match.group(1).lower()):
        raise SnsSignatureInvalid(f"SigningCertURL host {match.group(1)[:100]!r} is not an SNS host")


def _signature(value: Any) -> bytes:
    if not isinstance(value, str) or not value.strip():
        raise SnsSignatureInvalid("Signature is missing")
    try:
        # Some senders wrap the base64 every 60 characters.
        return base64.b64decode("".join(value.split()), validate=True)
    except (binascii.Error, ValueError):
        raise SnsSignatureInvalid("Signature is not base64") from None


def _public_key(pem: bytes) -> rsa.RSAPublicKey:
    # Exactly one bare PEM block: anything wrapped around the certificate is refused.
    if not _PEM.fullmatch(pem.strip()):
        raise SnsSignatureInvalid("signing certificate is not a single PEM certificate")
    try:
        key = x509.load_pem_x509_certificate(pem).public_key()
    except ValueError:
        raise SnsSignatureInvalid("signing certificate cannot be read") from None
    if not isinstance(key, rsa.RSAPublicKey):
        raise SnsSignatureInvalid("signing certificate does not hold an RSA key")
    return key


class CertificateCache:
    """Wraps a certificate fetcher: each URL fetched once per container, at most `max_entries` kept."""

    def __init__(self, fetch: Callable[[str], bytes], max_entries: int = 16) -> None:
        self._fetch = fetch
        self._max_entries = max(1, max_entries)
        self._pems: dict[str, bytes] = {}

    def __call__(self, url: str) -> bytes:
        """The certificate at `url`, fetched on first use; fetch errors propagate, and nothing is cached for them."""
        pem = self._pems.get(url)
        if pem is None:
            pem = self._fetch(url)
            while len(self._pems) >= self._max_entries:
                del self._pems[next(iter(self._pems))]  # oldest first
            self._pems[url] = pem
        return pem
