"""`omnicase console publish`: the built console into the stack's console bucket, then a CloudFront invalidation.

Hashed assets (`assets/*`) are uploaded before index.html, and old ones are kept, so a tab that loaded the previous
index.html can still fetch its scripts; every other stale file under the prefix is removed.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from omnicase_local.console_site import asset_headers

KEY_PREFIX = "console/"  # CloudFront's /console/* behaviour reads the bucket under this prefix


@dataclass
class Published:
    uploaded: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    invalidation: str | None = None


def publish_console(dist: Path, bucket: str, distribution_id: str | None, *, s3: Any, cloudfront: Any) -> Published:
    """Upload every file of `dist` under console/, remove stale non-asset files, invalidate the entry points."""
    if not (dist / "index.html").is_file():
        raise FileNotFoundError(f"{dist}/index.html is missing: build the console first (npm ci && npm run build)")
    files = sorted(p for p in dist.rglob("*") if p.is_file())
    files.sort(key=lambda p: p.name == "index.html")  # the entry point last: it must never name a missing asset
    published = Published()
    for path in files:
        key = KEY_PREFIX + path.relative_to(dist).as_posix()
        headers = asset_headers(path)
        s3.put_object(
            Bucket=bucket,
            Key=key,
            Body=path.read_bytes(),
            ContentType=headers["Content-Type"],
            CacheControl=headers["Cache-Control"],
        )
        published.uploaded.append(key)
    wanted = set(published.uploaded)
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=KEY_PREFIX):
        for item in page.get("Contents", []):
            key = item["Key"]
            if key not in wanted and not key.startswith(KEY_PREFIX + "assets/"):
                s3.delete_object(Bucket=bucket, Key=key)
                published.removed.append(key)
    if distribution_id:
        answer = cloudfront.create_invalidation(
            DistributionId=distribution_id,
            InvalidationBatch={
                "Paths": {"Quantity": 2, "Items": ["/console/", "/console/index.html"]},
                "CallerReference": f"omnicase-console-{time.time_ns()}",
            },
        )
        published.invalidation = answer["Invalidation"]["Id"]
    return published


def _publish(args: argparse.Namespace) -> int:
    import boto3

    dist = Path(args.dist)
    published = publish_console(
        dist, args.bucket, args.distribution, s3=boto3.client("s3"), cloudfront=boto3.client("cloudfront")
    )
    print(f"uploaded {len(published.uploaded)} files to s3://{args.bucket}/{KEY_PREFIX}")
    for key in published.removed:
        print(f"removed stale {key}")
    if published.invalidation:
        print(f"CloudFront invalidation {published.invalidation} for /console/ and /console/index.html")
    return 0


def add_console_command(commands: Any) -> None:
    console = commands.add_parser("console", help="the agent console's static build")
    actions = console.add_subparsers(dest="console_command", required=True)
    publish = actions.add_parser("publish", help="upload console/dist to the stack's ConsoleBucket output")
    publish.add_argument("--bucket", required=True, help="the ConsoleBucketName output of the stack")
    publish.add_argument("--distribution", help="the ConsoleDistributionId output (invalidates index.html)")
    publish.add_argument("--dist", default="console/dist", help="the build to upload (default console/dist)")
    publish.set_defaults(run=_publish)
