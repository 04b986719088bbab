"""Safe (AES) mode: WeChat's BizMsgCrypt scheme — AES-256-CBC, IV = key[:16], PKCS#7 with 32-byte blocks.

plaintext = 16 random bytes ‖ uint32 big-endian length ‖ message ‖ AppID.
"""

from __future__ import annotations

import base64
import binascii
import os
import struct

from omnicase.channels.wechat.errors import BadSignature, MalformedPush, WrongAppId
from omnicase.channels.wechat.verify_signature import signature_matches, wechat_signature

BLOCK = 32


class WechatCrypto:
    def __init__(self, token: str, encoding_aes_key: str, app_id: str) -> None:
        try:
            self._key = base64.b64decode(encoding_aes_key + "=")
        except binascii.Error as error:
            raise ValueError("EncodingAESKey must be 43 base64 characters") from error
        if len(self._key) != 32:
            raise ValueError("EncodingAESKey must decode to 32 bytes")
        self._token, self._app_id = token, app_id

    def verify(self, msg_signature: str | None, timestamp: str, nonce: str, encrypted: str) -> bool:
        """Whether `msg_signature` signs this ciphertext."""
        return signature_matches(wechat_signature(self._token, timestamp, nonce, encrypted), msg_signature)

    def decrypt(self, encrypted_b64: str) -> bytes:
        """The message inside a ciphertext addressed to our AppID; raises on any inconsistency."""
        try:
            data = base64.b64decode(encrypted_b64, validate=False)
        except ValueError as error:  # binascii.Error, or a str that is not ASCII
            raise MalformedPush("Encrypt is not base64") from error
        if not data or len(data) % 16:
            raise MalformedPush("Encrypt is not a whole number of AES blocks")
        plain = self._cipher().decryptor()
        padded = plain.update(data) + plain.finalize()
        pad = padded[-1]
        if not 1 <= pad <= BLOCK or padded[-pad:] != bytes([pad]) * pad:
            raise BadSignature("ciphertext does not decrypt with our EncodingAESKey")
        content = padded[:-pad]
        if len(content) < 20:
            raise MalformedPush("decrypted message too short")
        (length,) = struct.unpack(">I", content[16:20])
        message, receiver = content[20 : 20 + length], content[20 + length :]
        if len(message) != length:
            raise MalformedPush("decrypted length prefix is wrong")
        if receiver.decode("utf-8", "replace") != self._app_id:
            raise WrongAppId("the message is for another AppID")
        return message

    def encrypt(self, plaintext: bytes, random16: bytes | None = None) -> str:
        """Base64 ciphertext of a message for WeChat."""
        body = (random16 or os.urandom(16)) + struct.pack(">I", len(plaintext)) + plaintext + self._app_id.encode()
        pad = BLOCK - len(body) % BLOCK
        encryptor = self._cipher().encryptor()
        return base64.b64encode(encryptor.update(body + bytes([pad]) * pad) + encryptor.finalize()).decode()

    def encrypt_push(self, xml: bytes, timestamp: str, nonce: str, to_user: str = "") -> tuple[bytes, str]:
        """A push as WeChat sends it in safe mode (for tests, the demo, the bench): its body and msg_signature."""
        encrypted = self.encrypt(xml)
        body = f"<xml><ToUserName><![CDATA[{to_user}]]></ToUserName><Encrypt><![CDATA[{encrypted}]]></Encrypt></xml>"
        return body.encode(), wechat_signature(self._token, timestamp, nonce, encrypted)

    def _cipher(self):  # noqa: ANN202 - imported here: only safe-mode requests pay for `cryptography`
        from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

        return Cipher(algorithms.AES(self._key), modes.CBC(self._key[:16]))
