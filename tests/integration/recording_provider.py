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
    # Files served as they are (GET <path>, and WeChat's media/get by media_id): (content type, bytes).
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)

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
                served = recorder.files.get(_media_key(self.path))
                if served is not None:
                    self.send_response(200)
                    self.send_header("Content-Type", served[0])
                    self.send_header("Content-Length", str(len(served[1])))
                    self.end_headers()
                    self.wfile.write(served[1])
                    return
                document: dict[str, Any]
                if self.path.startswith("/wechat/cgi-bin/token"):
                    document = {"access_token": "test-access-token", "expires_in": 7200}
                elif self.path.startswith("/wechat/cgi-bin/media/upload"):
                    document = {"type": "image", "media_id": f"MEDIA{len(recorder.requests)}", "created_at": 1}
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

    def serve(self, path: str, content_type: str, data: bytes) -> str:
        """Serve a file at `path` (a media id for WeChat's media/get); its URL."""
        self.files[path] = (content_type, data)
        return self.url + path

    def sent(self, prefix: str) -> list[Recorded]:
        return [r for r in self.requests if r.path.startswith(prefix)]


def _media_key(path: str) -> str:
    """What a request asks for: WeChat's media/get by its media_id, anything else by its path."""
    if path.startswith("/wechat/cgi-bin/media/get"):
        from urllib.parse import parse_qs, urlsplit

        return (parse_qs(urlsplit(path).query).get("media_id") or [""])[0]
    return path
