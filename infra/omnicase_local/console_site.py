"""The agent console's built assets at `/console/`, with the headers CloudFront sends in AWS.

The console is a static build (`console/dist/`); the local gateway serves it on the API's own origin, as the
CloudFront distribution does in AWS, so the console's Content-Security-Policy can say `connect-src 'self'`.
"""

from __future__ import annotations

import logging
import mimetypes
import shutil
import subprocess
from pathlib import Path

logger = logging.getLogger("omnicase_local.console_site")

PREFIX = "/console"

# One statement of the console's security headers: the template's CloudFront response-headers policy must say the
# same (tests/integration/test_console_site.py compares them). The console also posts agents' files straight to the
# mail bucket (a presigned POST), so connect-src names the bucket's origin: in AWS its regional endpoint
# (`https://${MailBucket}.s3.${AWS::Region}.${AWS::URLSuffix}` in the template), locally the S3 endpoint browsers
# reach (MAIL_LINK_ENDPOINT).
MAIL_BUCKET_ORIGIN = "{mail_bucket_origin}"
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    f"connect-src 'self' {MAIL_BUCKET_ORIGIN}; "
    "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS: dict[str, str] = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "Strict-Transport-Security": "max-age=63072000; includeSubDomains",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}
_TYPES = {".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml", ".json": "application/json"}

Response = tuple[int, dict[str, str], bytes]


def console_root(repo: Path) -> Path:
    return repo / "console"


def needs_build(console: Path) -> bool:
    """dist/ is missing or older than a source, the lock file or the build configuration."""
    index = console / "dist" / "index.html"
    if not index.is_file():
        return True
    built = index.stat().st_mtime
    sources = [*console.glob("src/**/*"), console / "index.html", console / "package-lock.json"]
    sources += list(console.glob("vite.config.*"))
    return any(p.is_file() and p.stat().st_mtime > built for p in sources)


def build_console(console: Path) -> bool:
    """`npm ci` (when node_modules is missing) and `npm run build`; False, with the reason logged, when it cannot."""
    npm = shutil.which("npm")
    if npm is None or not (console / "package.json").is_file():
        logger.warning("console not built: %s", "npm is not installed" if npm is None else "no console/package.json")
        return False
    steps = ([[npm, "ci", "--no-audit", "--no-fund"]] if not (console / "node_modules").is_dir() else []) + [
        [npm, "run", "build"]
    ]
    for step in steps:
        done = subprocess.run(step, cwd=console, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            logger.warning("console build failed (%s): %s", " ".join(step[1:]), done.stderr[-2000:])
            return False
    return True


class ConsoleSite:
    """GET/HEAD of `/console/…` from a build directory; every unknown path under it is the app's index.html
    (the app routes by URL hash, but a reload of a deep link must still find the app)."""

    def __init__(self, dist: Path, mail_bucket_origin: str = "") -> None:
        self._dist = dist.resolve()
        self._headers = security_headers(mail_bucket_origin)

    def answer(self, method: str, path: str) -> Response | None:
        """The response for `path`, or None when the path is not the console's."""
        if path != PREFIX and not path.startswith(PREFIX + "/"):
            return None
        if method not in ("GET", "HEAD"):
            return 405, {"Allow": "GET, HEAD", **self._headers}, b""
        if path == PREFIX:
            return 301, {"Location": PREFIX + "/", **self._headers}, b""
        index = self._dist / "index.html"
        if not index.is_file():
            body = b"The console is not built: run `npm ci && npm run build` in console/ (needs Node.js and npm).\n"
            return 503, {"Content-Type": "text/plain; charset=utf-8", **self._headers}, body
        relative = path[len(PREFIX) + 1 :] or "index.html"
        target = (self._dist / relative).resolve()
        if not target.is_relative_to(self._dist) or not target.is_file():
            target = index  # a deep link, or a path that tries to leave dist/: the app answers
        return 200, {**asset_headers(target), **self._headers}, target.read_bytes()


def security_headers(mail_bucket_origin: str) -> dict[str, str]:
    """SECURITY_HEADERS with the mail bucket's origin (scheme://host[:port]) in connect-src; none: 'self' only."""
    policy = CONTENT_SECURITY_POLICY.replace(MAIL_BUCKET_ORIGIN, mail_bucket_origin).replace(" ;", ";")
    return {**SECURITY_HEADERS, "Content-Security-Policy": policy}


def asset_headers(target: Path) -> dict[str, str]:
    """Content-Type and Cache-Control of a built file, the same locally and in the console bucket."""
    content_type = _TYPES.get(target.suffix) or mimetypes.guess_type(target.name)[0] or "application/octet-stream"
    if content_type.startswith("text/") or target.suffix == ".svg":
        content_type += "; charset=utf-8"
    # Vite names built assets after their content hash: they never change, so caches keep them for a year;
    # index.html must be revalidated so a new deploy is picked up at once.
    hashed = target.parent.name == "assets"
    cache = "public, max-age=31536000, immutable" if hashed else "no-cache"
    return {"Content-Type": content_type, "Cache-Control": cache}
