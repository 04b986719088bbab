"""`sam deploy --guided` asks "<Function> has no authentication. Is this okay?" for every API route without an
authorizer, and its default answer (No) aborts the deploy. Run SAM CLI's own check (samcli's `auth_per_resource`,
what the guided deploy calls) on the template and fail on any route it would ask about.

Run with the SAM CLI's Python (./dev deploy-check): python infra/deploy/check_guided_auth.py [template.yaml]
"""

from __future__ import annotations

import sys
from pathlib import Path

from samcli.commands.deploy.auth_utils import auth_per_resource
from samcli.lib.providers.sam_stack_provider import SamLocalStackProvider


def functions_without_authentication(template: Path) -> list[str]:
    """The functions SAM's guided deploy would ask about (empty: it asks nothing)."""
    stacks, _ = SamLocalStackProvider.get_stacks(str(template))
    return [resource for resource, authenticated in auth_per_resource(stacks) if not authenticated]


if __name__ == "__main__":
    template = Path(sys.argv[1] if len(sys.argv) > 1 else "template.yaml")
    unauthenticated = functions_without_authentication(template)
    if unauthenticated:
        print(f"sam deploy --guided would ask 'has no authentication' for: {', '.join(unauthenticated)}")
        sys.exit(1)
    print(f"sam deploy --guided: every API route of {template} declares its authentication")
