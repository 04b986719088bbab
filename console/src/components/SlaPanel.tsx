/** The case's SLA clocks (each with its countdown), paused state, breaches and escalation level. */

import type { ComponentChildren } from "preact";
import type { Case, Deadline, Service } from "../api-types.ts";
import { useI18n } from "../i18n/index.ts";
import { caseHref } from "../router.ts";
import { clockStatus } from "../sla.ts";
import { useNow } from "../ticker.ts";
import { IconPause } from "./Icons.tsx";
import { slaText, SlaTag } from "./Sla.tsx";

function linkTarget(link: string): { kind: string; id: string } {
  const i = link.indexOf(":");
  return i < 0 ? { kind: "related", id: link } : { kind: link.slice(0, i), id: link.slice(i + 1) };
}

/** One clock: its name, countdown and due time; named "First response: due in 12m" for assistive technology. */
function ClockItem({ deadline: d, service }: { deadline: Deadline; service: Service }) {
  const i18n = useI18n();
  const now = useNow();
  const status = clockStatus(d, service, now);
  const name = i18n.label("sla.clock", d.clock);
  return (
    <li class="clock" aria-label={`${name}: ${slaText(status, i18n)}`}>
      <span class="clock-name">{name}</span>
      <SlaTag status={status} />
      {d.stopped_at || d.due_at ? (
        <span class="clock-due muted small">
          {d.stopped_at ? i18n.t("sla.stoppedAt", { time: i18n.dateTime(d.stopped_at) }) : i18n.t("sla.due", { time: i18n.dateTime(d.due_at) })}
        </span>
      ) : null}
    </li>
  );
}

/** A term and its definition in a <dl>. */
function Fact({ term, children }: { term: string; children: ComponentChildren }) {
  return (
    <>
      <dt>{term}</dt>
      <dd>{children}</dd>
    </>
  );
}

function CaseLink({ id }: { id: string }) {
  return <a href={caseHref(id)}>{id}</a>;
}

export function SlaPanel({ kase }: { kase: Case }) {
  const i18n = useI18n();
  const { t } = i18n;
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
          <ClockItem key={d.clock} deadline={d} service={s} />
        ))}
      </ul>
      <dl class="facts">
        <Fact term={t("sla.escalation")}>
          <span class={`escalation escalation-${Math.min(s.escalation_level, 3)}`}>{s.escalation_level}</span>
          {s.escalated_at ? <span class="muted small"> · {t("sla.escalatedAt", { time: i18n.dateTime(s.escalated_at) })}</span> : null}
        </Fact>
        {s.first_response_at ? <Fact term={t("sla.firstResponse")}>{i18n.dateTime(s.first_response_at)}</Fact> : null}
        {s.dedicated_until ? <Fact term={t("sla.dedicatedUntil")}>{i18n.dateTime(s.dedicated_until)}</Fact> : null}
        {s.closes_at ? <Fact term={t("sla.closesAt")}>{i18n.dateTime(s.closes_at)}</Fact> : null}
        {s.routed_by ? <Fact term={t("sla.routedBy")}>{s.routed_by}</Fact> : null}
        {kase.follow_up_of ? (
          <Fact term={t("sla.followUpOf")}>
            <CaseLink id={kase.follow_up_of} />
          </Fact>
        ) : null}
        {s.merged_into ? (
          <Fact term={t("sla.mergedInto")}>
            <CaseLink id={s.merged_into} />
          </Fact>
        ) : null}
        {s.links && s.links.length > 0 ? (
          <Fact term={t("sla.links")}>
            <ul class="plain">
              {s.links.map((l) => {
                const { kind, id: other } = linkTarget(l);
                return (
                  <li key={l}>
                    <CaseLink id={other} /> <span class="muted small">({kind})</span>
                  </li>
                );
              })}
            </ul>
          </Fact>
        ) : null}
      </dl>
    </section>
  );
}
