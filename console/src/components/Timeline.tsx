/** The audit trail (GET /cases/{id}/events) as a timeline, oldest first. */

import { api } from "../api.ts";
import type { CaseEvent } from "../api-types.ts";
import { loggedCall, minutesSeconds } from "../call-log.ts";
import { useLoad, useSession } from "../hooks.ts";
import { useI18n, type I18n } from "../i18n/index.ts";
import { ErrorMessage, Loading } from "./Feedback.tsx";

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/** An event detail's value as a person reads it: times in the tenant's zone, lists joined, clocks named; null: empty. */
function valueText(v: unknown, i18n: I18n): string | null {
  if (v === null || v === undefined || v === "") return null;
  if (typeof v === "string") return ISO_TIME.test(v) ? i18n.dateTime(v) : v;
  const parts = Array.isArray(v)
    ? v.map((x) => valueText(x, i18n))
    : typeof v === "object"
      ? Object.entries(v).map(([k, x]) => {
          const text = valueText(x, i18n);
          return text === null ? null : `${i18n.label("sla.clock", k)} ${text}`;
        })
      : [String(v)];
  const kept = parts.filter((p): p is string => p !== null);
  return kept.length > 0 ? kept.join(", ") : null;
}

function detailText(detail: Record<string, unknown>, i18n: I18n): string {
  return Object.entries(detail)
    .map(([k, v]) => {
      const text = valueText(v, i18n);
      return text === null ? null : `${k}: ${text}`;
    })
    .filter((p): p is string => p !== null)
    .join(" · ");
}

/** Events whose detail reads better as a sentence than as fields: a logged call, a hand-back, an agent's new case. */
function eventText(e: CaseEvent, i18n: I18n, agentName: (id: string) => string): string | null {
  const { t, label } = i18n;
  const detail = e.detail ?? {};
  if (e.kind === "call_logged") {
    const call = loggedCall(detail);
    if (!call) return null;
    const [min, sec] = minutesSeconds(call.durationS ?? 0);
    const summary = t("call.summary", {
      direction: label("call.direction", call.direction),
      outcome: label("call.outcome", call.outcome),
      duration: t("call.durationText", { min, sec }),
    });
    return call.startedAt ? `${summary} · ${t("call.startedText", { time: i18n.dateTime(call.startedAt) })}` : summary;
  }
  if (e.kind === "handed_back" && typeof detail["agent_id"] === "string" && typeof detail["queue"] === "string") {
    return t("event.handedBackDetail", { agent: agentName(detail["agent_id"]), queue: detail["queue"] });
  }
  if (e.kind === "case_opened" && typeof detail["channel"] === "string") {
    return t("event.caseOpenedDetail", { channel: label("channel", detail["channel"]) });
  }
  return null;
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
      {events.data.events.map((e) => {
        const readable = eventText(e, i18n, (id) => agentName(id) || id);
        return (
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
              {readable ? (
                <p class="tl-reason">{readable}</p>
              ) : (
                <>
                  {e.reason ? <p class="tl-reason">{e.reason}</p> : null}
                  {e.detail && detailText(e.detail, i18n) ? <p class="tl-detail small">{detailText(e.detail, i18n)}</p> : null}
                </>
              )}
            </div>
          </li>
        );
      })}
    </ol>
  );
}
