"""A loopback HTTP server that records what omnicase sends to providers (chat callbacks, the WeChat API)."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class RecordingProvider:
    server: ThreadingHTTPServer
    requests: list[Recorded] = field(default_factory=list)
    answer_status: int = 200
    wechat_errcode: int = 0  # what the customer-service send API answers (43019: the receiver blocked the account)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    @classmethod
    def start(cls) -> RecordingProvider:
        recorder: RecordingProvider

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                recorder.requests.append(Recorded(self.command, self.path, dict(self.headers), body))
                if self.path.startswith("/wechat/cgi-bin/token"):
                    document: dict[str, Any] = {"access_token": "test-access-token", "expires_in": 7200}
                elif self.path.startswith("/wechat/"):
                    code = recorder.wechat_errcode
                    document = {"errcode": code, "errmsg": f"refused (test errcode {code})" if code else "ok"}
                else:
                    document = {"ok": True}
                payload = json.dumps(document).encode()
                self.send_response(recorder.answer_status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = _answer

            def log_message(self, format: str, *args: Any) -> None:
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        recorder = cls(server)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return recorder

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def sent(self, prefix: str) -> list[Recorded]:
        return [r for r in self.requests if r.path.startswith(prefix)]
