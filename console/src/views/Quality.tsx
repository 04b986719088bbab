/** Supervisor quality view: replies the quality check intercepted, per agent and day, the blocked phrase marked. */

import { useState } from "preact/hooks";
import { api } from "../api.ts";
import { ErrorMessage, Loading } from "../components/Feedback.tsx";
import { Highlighted } from "../components/Highlighted.tsx";
import { ChannelLabel } from "../components/Labels.tsx";
import { codePointSpansToUtf16 } from "../highlight.ts";
import { AgentOptions } from "../components/Options.tsx";
import { Toolbar, useDayWindow, WindowPicker, WindowRange } from "../components/Screen.tsx";
import { useLoad, useSession } from "../hooks.ts";
import { useI18n } from "../i18n/index.ts";
import { caseHref } from "../router.ts";

export function Quality() {
  const i18n = useI18n();
  const { t } = i18n;
  const { me, agentName } = useSession();
  const range = useDayWindow(7);
  const { from, to } = range;
  const [agent, setAgent] = useState("");
  const report = useLoad((signal) => api.interceptions({ from, to, ...(agent ? { agent } : {}) }, signal), [from, to, agent]);
  const data = report.data;
  const byAgent = data ? Object.entries(data.by_agent).sort((a, b) => b[1] - a[1]) : [];
  const byDay = data ? Object.entries(data.by_day).sort((a, b) => a[0].localeCompare(b[0])) : [];
  return (
    <section aria-labelledby="quality-title" class="quality">
      <Toolbar id="quality-title" title={t("quality.title")} note={<WindowRange range={range} />}>
        <label class="inline-field">
          <span>{t("quality.agent")}</span>
          <select value={agent} onChange={(e) => setAgent(e.currentTarget.value)}>
            <option value="">{t("quality.allAgents")}</option>
            <AgentOptions agents={me.agents} />
          </select>
        </label>
        <WindowPicker name="quality-window" range={range} />
      </Toolbar>
      {report.error ? <ErrorMessage error={report.error} onRetry={report.reload} /> : null}
      {!data && !report.error ? <Loading /> : null}
      {data ? (
        <>
          <div class="quality-summary">
            <MeterTable
              id="q-by-agent"
              title={t("quality.byAgent")}
              head={t("quality.agent")}
              rows={byAgent.map(([a, n]) => ({ key: a, label: agentName(a) || a, value: n }))}
            />
            <MeterTable id="q-by-day" title={t("quality.byDay")} head={t("dash.date")} rows={byDay.map(([d, n]) => ({ key: d, label: i18n.shortDate(d), value: n }))} />
          </div>
          <section aria-labelledby="q-list">
            <h2 id="q-list" class="sub-title">
              {t("quality.list")}
            </h2>
            {data.interceptions.length === 0 ? <p class="empty">{t("quality.none")}</p> : null}
            <ol class="interceptions">
              {data.interceptions.map((x, i) => (
                <li key={`${x.case_id}-${x.at}-${i}`} class="interception">
                  <p class="int-head">
                    <time dateTime={x.at}>{i18n.dateTime(x.at)}</time>
                    <span>{agentName(x.agent_id) || x.agent_id || t("app.unknown")}</span>
                    <a href={caseHref(x.case_id)}>{x.case_id}</a>
                    <ChannelLabel channel={x.channel} />
                    <span class="phrase">{t("quality.phrase", { phrase: x.phrase })}</span>
                  </p>
                  {x.text ? (
                    <p class="int-text">
                      <Highlighted text={x.text} spans={codePointSpansToUtf16(x.text, x.spans ?? [])} />
                    </p>
                  ) : (
                    <p class="int-text muted">{t("msg.empty")}</p>
                  )}
                </li>
              ))}
            </ol>
          </section>
        </>
      ) : null}
    </section>
  );
}

/** A panel with a two-column table: a label per row and its count, with a bar scaled to the largest count. */
function MeterTable({ id, title, head, rows }: { id: string; title: string; head: string; rows: { key: string; label: string; value: number }[] }) {
  const { t } = useI18n();
  const max = Math.max(1, ...rows.map((r) => r.value));
  return (
    <section class="panel" aria-labelledby={id}>
      <h2 id={id} class="panel-title">
        {title}
      </h2>
      {rows.length === 0 ? (
        <p class="muted small">{t("quality.noneShort")}</p>
      ) : (
        <table class="meter-table">
          <thead>
            <tr>
              <th scope="col">{head}</th>
              <th scope="col" class="num">
                {t("quality.count")}
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.key}>
                <th scope="row">{r.label}</th>
                <td class="num">
                  <Meter value={r.value} max={max} />
                  {r.value}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function Meter({ value, max }: { value: number; max: number }) {
  return (
    <svg class="meter" viewBox="0 0 100 8" width="100" height="8" aria-hidden="true" focusable="false">
      <rect class="meter-bg" width="100" height="8" rx="2" />
      <rect class="meter-fg" width={Math.max(2, (value / max) * 100)} height="8" rx="2" />
    </svg>
  );
}
