/** The case's SLA clocks (each with its countdown), paused state, breaches and escalation level. */

import type { Case } from "../api-types.ts";
import { useI18n } from "../i18n/index.ts";
import { caseHref } from "../router.ts";
import { ClockCountdown } from "./Sla.tsx";
import { IconPause } from "./Icons.tsx";

function linkTarget(link: string): { kind: string; id: string } {
  const i = link.indexOf(":");
  return i < 0 ? { kind: "related", id: link } : { kind: link.slice(0, i), id: link.slice(i + 1) };
}

export function SlaPanel({ kase }: { kase: Case }) {
  const i18n = useI18n();
  const { t, label } = i18n;
  const s = kase.service;
  const id = `sla-${kase.case_id}`;
  return (
    <section class="panel" aria-labelledby={id}>
      <h2 id={id} class="panel-title">
        {t("sla.title")}
      </h2>
      {s.paused ? (
        <p class="sla sla-paused sla-block">
          <IconPause />
          {t("sla.pausedNote")}
        </p>
      ) : null}
      {s.deadlines.length === 0 ? <p class="muted small">{t("sla.none")}</p> : null}
      <ul class="clocks">
        {s.deadlines.map((d) => (
          <li key={d.clock} class="clock">
            <span class="clock-name">{label("sla.clock", d.clock)}</span>
            <ClockCountdown deadline={d} service={s} />
            <span class="clock-due muted small">
              {d.stopped_at ? t("sla.stoppedAt", { time: i18n.dateTime(d.stopped_at) }) : t("sla.due", { time: i18n.dateTime(d.due_at) })}
            </span>
          </li>
        ))}
      </ul>
      <dl class="facts">
        <dt>{t("sla.escalation")}</dt>
        <dd>
          <span class={`escalation escalation-${Math.min(s.escalation_level, 3)}`}>{s.escalation_level}</span>
          {s.escalated_at ? <span class="muted small"> · {t("sla.escalatedAt", { time: i18n.dateTime(s.escalated_at) })}</span> : null}
        </dd>
        {s.first_response_at ? (
          <>
            <dt>{t("sla.firstResponse")}</dt>
            <dd>{i18n.dateTime(s.first_response_at)}</dd>
          </>
        ) : null}
        {s.dedicated_until ? (
          <>
            <dt>{t("sla.dedicatedUntil")}</dt>
            <dd>{i18n.dateTime(s.dedicated_until)}</dd>
          </>
        ) : null}
        {s.routed_by ? (
          <>
            <dt>{t("sla.routedBy")}</dt>
            <dd>{s.routed_by}</dd>
          </>
        ) : null}
        {kase.follow_up_of ? (
          <>
            <dt>{t("sla.followUpOf")}</dt>
            <dd>
              <a href={caseHref(kase.follow_up_of)}>{kase.follow_up_of}</a>
            </dd>
          </>
        ) : null}
        {s.merged_into ? (
          <>
            <dt>{t("sla.mergedInto")}</dt>
            <dd>
              <a href={caseHref(s.merged_into)}>{s.merged_into}</a>
            </dd>
          </>
        ) : null}
        {s.links && s.links.length > 0 ? (
          <>
            <dt>{t("sla.links")}</dt>
            <dd>
              <ul class="plain">
                {s.links.map((l) => {
                  const { kind, id: other } = linkTarget(l);
                  return (
                    <li key={l}>
                      <a href={caseHref(other)}>{other}</a> <span class="muted small">({kind})</span>
                    </li>
                  );
                })}
              </ul>
            </dd>
          </>
        ) : null}
      </dl>
    </section>
  );
}
