/** Live SLA countdowns: a text label and an icon with the colour (amber at risk, red breached). */

import type { Service } from "../api-types.ts";
import { useI18n } from "../i18n/index.ts";
import { caseSlaStatus, DEFAULT_WARNING_LEAD_MS, type SlaStatus } from "../sla.ts";
import { useNow } from "../ticker.ts";
import { IconAlert, IconCheck, IconClock, IconPause } from "./Icons.tsx";

export function slaText(s: SlaStatus, i18n: ReturnType<typeof useI18n>): string {
  const { t, duration } = i18n;
  switch (s.state) {
    case "breached":
      if (s.remainingMs !== null && s.remainingMs > 0) return t("sla.breachedNext", { time: duration(s.remainingMs) });
      if (s.remainingMs !== null) return t("sla.breachedAgo", { time: duration(s.remainingMs) });
      return t("sla.breached");
    case "paused":
      return t("sla.paused");
    case "met":
      return t("sla.met");
    case "none":
      return t("sla.none");
    default:
      return t("sla.dueIn", { time: duration(s.remainingMs ?? 0) });
  }
}

function SlaIcon({ state }: { state: SlaStatus["state"] }) {
  if (state === "breached" || state === "warning") return <IconAlert />;
  if (state === "paused") return <IconPause />;
  if (state === "met") return <IconCheck />;
  return <IconClock />;
}

export function SlaTag({ status }: { status: SlaStatus }) {
  const i18n = useI18n();
  return (
    <span class={`sla sla-${status.state}`}>
      <SlaIcon state={status.state} />
      <span>{slaText(status, i18n)}</span>
    </span>
  );
}

export function CaseCountdown({ service, leadMs = DEFAULT_WARNING_LEAD_MS }: { service: Service; leadMs?: number }) {
  const now = useNow();
  return <SlaTag status={caseSlaStatus(service, now, leadMs)} />;
}
