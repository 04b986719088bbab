"""The console's hosting: the local site and CloudFront send the same security headers; publishing to the bucket."""

from __future__ import annotations

from pathlib import Path

import boto3
import pytest
from moto import mock_aws

from omnicase_local.console_publish import publish_console
from omnicase_local.console_site import MAIL_BUCKET_ORIGIN, SECURITY_HEADERS, ConsoleSite, security_headers
from omnicase_local.sam_template import load_yaml

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def dist(tmp_path: Path) -> Path:
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text('<!doctype html><script type="module" src="/console/assets/app-1a2b.js">')
    (tmp_path / "assets" / "app-1a2b.js").write_text("console.log('app')")
    (tmp_path / "assets" / "app-1a2b.css").write_text("body{}")
    return tmp_path


def test_cloudfront_sends_the_headers_the_local_site_sends() -> None:
    policy = load_yaml(REPO / "template.yaml")["Resources"]["ConsoleSecurityHeaders"]["Properties"]
    config = policy["ResponseHeadersPolicyConfig"]["SecurityHeadersConfig"]
    hsts = config["StrictTransportSecurity"]
    policy = config["ContentSecurityPolicy"]["ContentSecurityPolicy"]["Fn::Sub"]
    bucket = "https://${MailBucket}.s3.${AWS::Region}.${AWS::URLSuffix}"  # the regional endpoint uploads go to
    assert policy.replace(bucket, MAIL_BUCKET_ORIGIN) == SECURITY_HEADERS["Content-Security-Policy"]
    assert (
        f"max-age={hsts['AccessControlMaxAgeSec']}; includeSubDomains" == SECURITY_HEADERS["Strict-Transport-Security"]
    )
    assert config["FrameOptions"]["FrameOption"] == SECURITY_HEADERS["X-Frame-Options"]
    assert config["ReferrerPolicy"]["ReferrerPolicy"] == SECURITY_HEADERS["Referrer-Policy"]
    assert "ContentTypeOptions" in config  # nosniff


def test_the_policy_allows_no_inline_script_and_no_framing() -> None:
    csp = SECURITY_HEADERS["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    # the API is on the console's origin; agents' files are posted to the mail bucket
    assert directives["connect-src"] == f"'self' {MAIL_BUCKET_ORIGIN}"
    local = dict(
        part.strip().split(" ", 1)
        for part in security_headers("http://127.0.0.1:5000")["Content-Security-Policy"].split(";")
    )
    assert local["connect-src"] == "'self' http://127.0.0.1:5000"


def test_the_console_path_is_served_from_the_bucket_and_the_rest_from_the_api() -> None:
    config = load_yaml(REPO / "template.yaml")["Resources"]["ConsoleDistribution"]["Properties"]["DistributionConfig"]
    (console,) = config["CacheBehaviors"]
    assert console["PathPattern"] == "/console*" and console["TargetOriginId"] == "console-assets"
    assert config["DefaultCacheBehavior"]["TargetOriginId"] == "api"
    assert "POST" in config["DefaultCacheBehavior"]["AllowedMethods"]


def test_files_come_with_their_type_and_cache_rules(dist: Path) -> None:
    site = ConsoleSite(dist)
    status, headers, body = site.answer("GET", "/console/assets/app-1a2b.js")  # type: ignore[misc]
    assert status == 200 and body == b"console.log('app')"
    assert headers["Content-Type"].startswith("text/javascript")
    assert "immutable" in headers["Cache-Control"]
    assert headers["Content-Security-Policy"] == security_headers("")["Content-Security-Policy"]
    assert "connect-src 'self';" in headers["Content-Security-Policy"]
    status, headers, _ = site.answer("GET", "/console/")  # type: ignore[misc]
    assert status == 200 and headers["Cache-Control"] == "no-cache" and headers["Content-Type"].startswith("text/html")


def test_deep_links_and_escapes_get_the_app_not_a_file(dist: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    site = ConsoleSite(dist)
    index = (dist / "index.html").read_bytes()
    assert site.answer("GET", "/console/cases/C1")[2] == index  # type: ignore[index]
    secret = dist.parent / "secret.txt"
    secret.write_text("not for the browser")
    assert site.answer("GET", "/console/../secret.txt")[2] == index  # type: ignore[index]
    assert site.answer("GET", "/console")[0] == 301  # type: ignore[index]
    assert site.answer("POST", "/console/")[0] == 405  # type: ignore[index]
    assert site.answer("GET", "/cases") is None  # the API's paths are not the site's


def test_an_unbuilt_console_says_how_to_build_it(tmp_path: Path) -> None:
    status, headers, body = ConsoleSite(tmp_path / "dist").answer("GET", "/console/")  # type: ignore[misc]
    assert status == 503 and b"npm run build" in body
    assert headers["X-Frame-Options"] == "DENY"


@mock_aws
def test_publish_uploads_the_build_keeps_old_assets_and_invalidates(dist: Path) -> None:
    s3 = boto3.client("s3", region_name="us-east-1")
    cloudfront = boto3.client("cloudfront", region_name="us-east-1")
    s3.create_bucket(Bucket="console-bucket")
    s3.put_object(Bucket="console-bucket", Key="console/assets/app-0000.js", Body=b"old build")
    s3.put_object(Bucket="console-bucket", Key="console/old-page.html", Body=b"gone")
    distribution = cloudfront.create_distribution(
        DistributionConfig={
            "CallerReference": "test",
            "Comment": "",
            "Enabled": True,
            "Origins": {
                "Quantity": 1,
                "Items": [
                    {
                        "Id": "s3",
                        "DomainName": "console-bucket.s3.amazonaws.com",
                        "S3OriginConfig": {"OriginAccessIdentity": ""},
                    }
                ],
            },
            "DefaultCacheBehavior": {"TargetOriginId": "s3", "ViewerProtocolPolicy": "https-only"},
        }
    )["Distribution"]["Id"]

    published = publish_console(dist, "console-bucket", distribution, s3=s3, cloudfront=cloudfront)

    assert published.uploaded[-1] == "console/index.html"  # the entry point after the assets it names
    assert published.removed == ["console/old-page.html"]
    keys = {o["Key"] for o in s3.list_objects_v2(Bucket="console-bucket")["Contents"]}
    assert "console/assets/app-0000.js" in keys  # an open tab of the last build still finds its script
    head = s3.head_object(Bucket="console-bucket", Key="console/assets/app-1a2b.css")
    assert head["ContentType"].startswith("text/css") and "immutable" in head["CacheControl"]
    invalidation = cloudfront.get_invalidation(DistributionId=distribution, Id=published.invalidation)
    assert invalidation["Invalidation"]["InvalidationBatch"]["Paths"]["Items"] == ["/console/", "/console/index.html"]


def test_publish_refuses_a_missing_build(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="npm run build"):
        publish_console(tmp_path, "b", None, s3=None, cloudfront=None)
