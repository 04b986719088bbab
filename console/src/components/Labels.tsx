/** Labels that always pair an icon or colour with text: channel, priority, status, customer badges. */

import type { Channel, CustomerBadge, Priority, CaseStatus } from "../api-types.ts";
import { useI18n } from "../i18n/index.ts";
import { useSession } from "../hooks.ts";
import { ChannelIcon, IconKey, IconStar, IconUser } from "./Icons.tsx";

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

export function CustomerBadges({ customer }: { customer: Pick<CustomerBadge, "tier" | "key_account" | "dedicated_agent"> }) {
  const { t } = useI18n();
  const { agentName } = useSession();
  return (
    <>
      {customer.tier ? (
        <span class="badge badge-tier" title={t("badge.vip", { tier: customer.tier })}>
          <IconStar />
          <span class="sr-only">{t("badge.vip", { tier: customer.tier })}</span>
          <span aria-hidden="true">{customer.tier}</span>
        </span>
      ) : null}
      {customer.key_account ? (
        <span class="badge badge-key" title={t("badge.keyAccount", { account: customer.key_account })}>
          <IconKey />
          <span class="sr-only">{t("badge.keyAccount", { account: customer.key_account })}</span>
          <span aria-hidden="true">{customer.key_account}</span>
        </span>
      ) : null}
      {customer.dedicated_agent ? (
        <span class="badge badge-dedicated" title={t("badge.dedicated", { agent: agentName(customer.dedicated_agent) })}>
          <IconUser />
          <span class="sr-only">{t("badge.dedicated", { agent: agentName(customer.dedicated_agent) })}</span>
          <span aria-hidden="true">{agentName(customer.dedicated_agent)}</span>
        </span>
      ) : null}
    </>
  );
}
