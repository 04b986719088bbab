/** Labels that always pair an icon or colour with text: channel, priority, status, customer badges. */

import type { ComponentChildren } from "preact";
import type { Channel, CustomerBadge, Priority, CaseStatus } from "../api-types.ts";
import { useI18n } from "../i18n/index.ts";
import { useSession } from "../hooks.ts";
import { ChannelIcon, IconKey, IconStar, IconUser } from "./Icons.tsx";

/** Who wrote in, as a case row names them: the customer's name, else the address they wrote from, else "". */
export function customerLabel(row: { customer?: { display_name?: string | null } | null; contact_address?: string | null }): string {
  return row.customer?.display_name || row.contact_address || "";
}

export function ChannelLabel({ channel, iconOnly = false }: { channel: Channel; iconOnly?: boolean }) {
  const { label } = useI18n();
  const text = label("channel", channel);
  return (
    <span class={`channel channel-${channel}`}>
      <ChannelIcon channel={channel} />
      {iconOnly ? <span class="sr-only">{text}</span> : <span>{text}</span>}
    </span>
  );
}

export function PriorityLabel({ priority }: { priority: Priority }) {
  const { label } = useI18n();
  return <span class={`priority priority-${priority}`}>{label("priority", priority)}</span>;
}

export function StatusLabel({ status }: { status: CaseStatus }) {
  const { label } = useI18n();
  return <span class={`status status-${status}`}>{label("status", status)}</span>;
}

/** A badge shows an icon and a short text; the full sentence is its tooltip and what a screen reader reads. */
function Badge({ kind, icon, text, said }: { kind: string; icon: ComponentChildren; text: string; said: string }) {
  return (
    <span class={`badge badge-${kind}`} title={said}>
      {icon}
      <span class="sr-only">{said}</span>
      <span aria-hidden="true">{text}</span>
    </span>
  );
}

export function CustomerBadges({ customer }: { customer: Pick<CustomerBadge, "tier" | "key_account" | "dedicated_agent"> }) {
  const { t } = useI18n();
  const { agentName } = useSession();
  const { tier, key_account: account, dedicated_agent: dedicated } = customer;
  return (
    <>
      {tier ? <Badge kind="tier" icon={<IconStar />} text={tier} said={t("badge.vip", { tier })} /> : null}
      {account ? <Badge kind="key" icon={<IconKey />} text={account} said={t("badge.keyAccount", { account })} /> : null}
      {dedicated ? (
        <Badge kind="dedicated" icon={<IconUser />} text={agentName(dedicated)} said={t("badge.dedicated", { agent: agentName(dedicated) })} />
      ) : null}
    </>
  );
}
