"""Contact Lens analysis files from the Connect instance's bucket (IAM s3:GetObject on its Analysis/Voice/ keys)."""

from __future__ import annotations

from botocore.exceptions import ClientError

from omnicase.aws.clients import client


class ConnectAnalysisFiles:
    """AnalysisFiles on S3: at most `limit` bytes of the object; None when it is gone (deleted meanwhile)."""

    def read(self, bucket: str, key: str, limit: int) -> bytes | None:
        try:
            body = client("s3").get_object(Bucket=bucket, Key=key)["Body"]
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
                return None
            raise  # throttling, permissions: the queue delivers the event again
        with body:
            return bytes(body.read(limit + 1))  # one byte over tells "too large" without reading it all
