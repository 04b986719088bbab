"""POST /cases/{case_id}/uploads: a presigned upload for one file of a case's next reply."""

from __future__ import annotations

from typing import Any

from omnicase.attachments.agent_uploads import AgentUploads
from omnicase.domain.model import Tenant
from omnicase.persistence.case_reader import get_case
from omnicase.wiring import attachment_files


def offer_upload(tenant: Tenant, case_id: str, body: object) -> dict[str, Any]:
    """The S3 POST form; NotFound for another tenant's case, AttachmentRefused when the case's channel takes no such
    file."""
    case, _ = get_case(tenant.tenant_id, case_id)
    return AgentUploads(attachment_files()).offer(case, body, tenant.endpoints)
