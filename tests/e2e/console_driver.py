"""The agent console's e2e helpers: customers writing in through the real edges of `omnicase local` (SMTP, a signed
Twilio webhook, a signed chat webhook), the API as an integrator calls it, and one signed-in browser tab."""

from __future__ import annotations

import json
import os
import shutil
import smtplib
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from email.headerregistry import Address
from email.message import EmailMessage
from typing import Any
from urllib.parse import urlencode

import pytest

from omnicase.channels.chat.chat_signature import chat_signature
from omnicase.channels.sms.twilio_signature import twilio_signature
from tests.e2e.conftest import API_TOKEN, REPO, LocalStack

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CONSOLE_DIST = REPO / "console" / "dist" / "index.html"
AXE = REPO / "console" / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = REPO / "docs" / "console"
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
VIEWPORT = {"width": 1440, "height": 900}
AGENT = ("li.na", "Acme-agent-2026")  # printed by `omnicase local` (runtime.DEMO_PEOPLE)
SUPERVISOR = ("wang.fang", "Acme-supervisor-2026")
TWILIO_TOKEN = "local-twilio-auth-token"  # the local runtime's default TWILIO_AUTH_TOKEN
CHAT_SECRET = "local-chat-secret"  # the local runtime's default CHAT_WEBHOOK_SECRET
SESSION_KEY = "omnicase.session"  # where console/src/session.ts keeps the tokens
LIVE_WAIT_MS = 30_000  # the changes feed: 2 s settle + 3 s poll + intake; generous on a busy 2-core box

needs_console = pytest.mark.skipif(
    (CHROMIUM is None or not CONSOLE_DIST.is_file()) and not os.environ.get("CI"),
    reason="needs Debian's chromium and a built console (cd console && npm ci && npm run build)",
)


# ---- customers, through the edges their providers use ----------------------------------------------------------


def send_mail(
    stack: LocalStack,
    *,
    sender: str,
    subject: str,
    body: str,
    display_name: str = "",
    attachment: tuple[str, bytes] | None = None,
) -> None:
    """One mail over SMTP to the demo tenant's mailbox (SES receiving, locally)."""
    mail = EmailMessage()
    user, domain = sender.split("@")
    mail["From"] = Address(display_name=display_name, username=user, domain=domain)
    mail["To"] = "support@acme.example"
    mail["Subject"] = subject
    mail["Message-ID"] = f"<{time.time_ns()}.{user}@{domain}>"
    mail.set_content(body)
    if attachment:
        filename, data = attachment
        mail.add_attachment(data, maintype="text", subtype="plain", filename=filename)
    with smtplib.SMTP("127.0.0.1", stack.smtp_port, timeout=30) as smtp:
        smtp.send_message(mail)


def send_sms(stack: LocalStack, sender: str, body: str) -> None:
    """One inbound SMS as Twilio posts it, signed with the tenant's auth token."""
    url = f"{stack.http_url}/webhooks/sms/twilio"
    sid = f"SM{time.time_ns():032x}"[:34]
    params = {"MessageSid": sid, "SmsSid": sid, "AccountSid": "AC" + "0" * 32, "From": sender}
    params |= {"To": "+15005550006", "Body": body, "NumMedia": "0"}
    signature = twilio_signature(TWILIO_TOKEN, url, {k: [v] for k, v in params.items()})
    headers = {"Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": signature}
    with urllib.request.urlopen(urllib.request.Request(url, urlencode(params).encode(), headers), timeout=10):
        pass


def send_chat(stack: LocalStack, user: str, text: str, display_name: str | None = None) -> None:
    """One chat message as the web widget's backend posts it, signed with the tenant's chat secret."""
    document = {"conversation_id": f"conv-{user}", "message_id": f"m-{time.time_ns()}", "user_id": user, "text": text}
    if display_name is not None:
        document["display_name"] = display_name
    assert post_chat(stack, document) == 201


def post_chat(stack: LocalStack, document: dict) -> int:
    body = json.dumps(document, ensure_ascii=False).encode()
    timestamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json",
        "X-Omnicase-Widget": "web",
        "X-Omnicase-Timestamp": timestamp,
        "X-Omnicase-Signature": chat_signature(CHAT_SECRET, timestamp, body),
    }
    request = urllib.request.Request(stack.http_url + "/webhooks/chat", data=body, headers=headers, method="POST")
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status


# ---- the API, as an integrator (the tenant's token) --------------------------------------------------------------


def api(
    stack: LocalStack, method: str, path: str, document: dict | None = None, agent: str | None = None
) -> tuple[int, Any]:
    headers = {"Authorization": f"Bearer {API_TOKEN}", "Content-Type": "application/json"}
    if agent:
        headers["X-Omnicase-Agent"] = agent
    data = json.dumps(document).encode() if document is not None else None
    request = urllib.request.Request(stack.http_url + path, data, headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def wait_case(stack: LocalStack, contact: str, matches: Callable[[dict], bool] = bool) -> dict:
    """The case the customer at `contact` (an email address, phone number or chat user id) opened, found the way
    the console's search finds it (an exact identity brings the customer's newest cases)."""

    def find() -> dict | None:
        status, page = api(stack, "GET", f"/search?{urlencode({'q': contact})}")
        assert status == 200, page
        return next((case for case in page["cases"] if case["contact_address"] == contact and matches(case)), None)

    return stack.wait_for(find, timeout=20, interval=0.2)


def outbox(stack: LocalStack) -> list[dict]:
    return stack.get("/_local/outbox", token=None)[1]


# ---- one browser tab of the console ------------------------------------------------------------------------------


@dataclass
class Console:
    """A tab in its own browser context (its own sessionStorage), recording what must never happen in it."""

    page: Any
    base_url: str
    dialogs: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)  # every navigation and request, to look for tokens in them
    requests: list[tuple[str, str]] = field(default_factory=list)  # (method, path + query) of API calls

    def __post_init__(self) -> None:
        page = self.page
        page.on("dialog", self._dialog)
        page.on("pageerror", lambda error: self.page_errors.append(str(error)))
        page.on("framenavigated", lambda frame: self.urls.append(frame.url))
        page.on("request", self._request)

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def _request(self, request: Any) -> None:
        self.urls.append(request.url)
        if request.url.startswith(self.base_url) and "/console/" not in request.url:
            self.requests.append((request.method, request.url[len(self.base_url) :]))

    def open(self, route: str = "") -> None:
        """Load the console (a full page load), at `route` (a hash such as `#/dashboard`)."""
        self.page.goto(f"{self.base_url}/console/{route}")

    def go(self, route: str) -> None:
        """Move inside the loaded app (the hash router), without loading the page again."""
        self.page.evaluate("route => { location.hash = route }", route)

    def sign_in(self, who: tuple[str, str]) -> None:
        """Fill the sign-in form and wait for the signed-in shell."""
        page = self.page
        page.get_by_label("Username").fill(who[0])
        page.get_by_label("Password").fill(who[1])
        page.get_by_role("button", name="Sign in").click()
        page.locator("main#main.main").wait_for()

    def session(self) -> dict | None:
        raw = self.page.evaluate("key => sessionStorage.getItem(key)", SESSION_KEY)
        return json.loads(raw) if raw else None

    def axe_violations(self) -> list[dict]:
        """axe-core on the page as it is; every violation with its impact and the first nodes it names."""
        if not self.page.evaluate("typeof window.axe === 'object'"):
            self.page.add_script_tag(path=str(AXE))
        return self.page.evaluate(
            """() => axe.run(document).then(r => r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' :: ' + n.failureSummary)})))"""
        )

    def screenshot(self, name: str) -> None:
        """docs/console/<name>.png, only when OMNICASE_SCREENSHOTS=1 (CI does not rewrite them)."""
        if os.environ.get("OMNICASE_SCREENSHOTS") == "1":
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            self.page.mouse.move(VIEWPORT["width"] - 1, VIEWPORT["height"] - 1)  # no hover state in the picture
            self.page.wait_for_timeout(100)
            self.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))
