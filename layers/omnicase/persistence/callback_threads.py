"""A callback case takes its customer's threads as it opens: in the transaction that stores it, every identity of
the customer points at it, so their next message on any channel lands on it (domain/thread_message.py).

The identities come from the customer's gsi2 partition (one Query of the "!IDENT#…" sort keys), read by what opens
the callback (a survey answer, a solve), never by an ordinary message's intake. Each update holds only while the
identity still belongs to that customer: a merge or an erasure meanwhile cancels the transaction, which its caller
retries. Intake commits only while the pointer it threaded by is unchanged (intake_store.py), so a message racing
the opening is planned again and lands on exactly one case: the one the pointer names when it commits.
"""

from __future__ import annotations

from pynamodb.transactions import TransactWrite

from omnicase.domain.callback_case import opens_callback
from omnicase.domain.model import Case
from omnicase.persistence import keys
from omnicase.persistence.dynamo_models import IdentityItem, OmnicaseItem

MAX_IDENTITIES = 25  # a transaction holds 100 items; a customer with more keeps the others' threads


def threads_to_take(case: Case) -> list[str]:
    """The partition keys of the identities a callback case being opened points at; [] for any other case."""
    if not opens_callback(case) or case.customer_id is None:
        return []
    index_pk = keys.customer_cases_pk(case.tenant_id, case.customer_id)
    found = OmnicaseItem.gsi2.query(index_pk, range_key_condition=OmnicaseItem.gsi2sk < "0")  # "!IDENT#…" only
    pks = [i.pk for i in found if isinstance(i, IdentityItem) and i.tenant_id == case.tenant_id]
    own = keys.identity_pk(case.tenant_id, case.channel.value, case.contact_address or "")
    return sorted(pks, key=lambda pk: pk != own)[:MAX_IDENTITIES]  # the address the case talks to first


def take_threads(tx: TransactWrite, callback: Case, identity_pks: list[str]) -> None:
    """Point each identity at the callback case, while it still belongs to the callback's customer."""
    for pk in identity_pks:
        tx.update(
            IdentityItem(pk, keys.SINGLETON_SK),
            actions=[IdentityItem.thread_case_id.set(callback.case_id)],
            condition=IdentityItem.customer_id == callback.customer_id,
        )
