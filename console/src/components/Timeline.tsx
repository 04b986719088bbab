/** The audit trail (GET /cases/{id}/events) as a timeline, oldest first. */

import { api } from "../api.ts";
import { useLoad, useSession } from "../hooks.ts";
import { useI18n } from "../i18n/index.ts";
import { ErrorMessage, Loading } from "./Feedback.tsx";

function detailText(detail: Record<string, unknown> | null | undefined): string {
  if (!detail) return "";
  return Object.entries(detail)
    .filter(([, v]) => v !== null && v !== undefined && v !== "")
    .map(([k, v]) => `${k}: ${typeof v === "string" ? v : JSON.stringify(v)}`)
    .join(" · ");
}

export function Timeline({ caseId, version }: { caseId: string; version: number | null }) {
  const i18n = useI18n();
  const { t, label } = i18n;
  const { agentName } = useSession();
  const events = useLoad((signal) => api.events(caseId, signal), [caseId, version]);
  if (events.error) return <ErrorMessage error={events.error} onRetry={events.reload} />;
  if (!events.data) return <Loading />;
  if (events.data.events.length === 0) return <p class="muted small">{t("case.auditEmpty")}</p>;
  return (
    <ol class="timeline">
      {events.data.events.map((e) => (
        <li key={e.event_id} class={`tl-item tl-${e.kind}`}>
          <span class="tl-dot" aria-hidden="true" />
          <div class="tl-body">
            <p class="tl-head">
              <strong>{label("event", e.kind)}</strong>{" "}
              <span class="muted small">
                {t("case.by", { actor: e.actor === "system" ? t("event.system") : agentName(e.actor) || e.actor })}
              </span>
            </p>
            <p class="muted small">
              <time dateTime={e.at ?? undefined}>{i18n.dateTime(e.at)}</time>
            </p>
            {e.reason ? <p class="tl-reason">{e.reason}</p> : null}
            {e.detail && Object.keys(e.detail).length > 0 ? <p class="tl-detail small">{detailText(e.detail)}</p> : null}
          </div>
        </li>
      ))}
    </ol>
  );
}
