/** Supervisor quality view: replies the quality check intercepted, per agent and day, the blocked phrase marked. */

import { useState } from "preact/hooks";
import { api } from "../api.ts";
import { ErrorMessage, Loading } from "../components/Feedback.tsx";
import { Highlighted } from "../components/Highlighted.tsx";
import { ChannelLabel } from "../components/Labels.tsx";
import { codePointSpansToUtf16 } from "../highlight.ts";
import { useLoad, useSession } from "../hooks.ts";
import { addDays, todayIn, useI18n } from "../i18n/index.ts";
import { caseHref } from "../router.ts";

const WINDOWS = [7, 30, 90] as const;

export function Quality() {
  const i18n = useI18n();
  const { t } = i18n;
  const { me, agentName } = useSession();
  const [windowDays, setWindowDays] = useState<number>(7);
  const [agent, setAgent] = useState("");
  const today = todayIn(i18n.timeZone);
  const from = addDays(today, 1 - windowDays);
  const to = addDays(today, 1);
  const report = useLoad((signal) => api.interceptions({ from, to, ...(agent ? { agent } : {}) }, signal), [from, to, agent]);
  const data = report.data;
  const byAgent = data ? Object.entries(data.by_agent).sort((a, b) => b[1] - a[1]) : [];
  const byDay = data ? Object.entries(data.by_day).sort((a, b) => a[0].localeCompare(b[0])) : [];
  const maxAgent = Math.max(1, ...byAgent.map(([, n]) => n));
  const maxDay = Math.max(1, ...byDay.map(([, n]) => n));
  return (
    <section aria-labelledby="quality-title" class="quality">
      <div class="toolbar">
        <h1 id="quality-title" class="screen-title">
          {t("quality.title")}
        </h1>
        <span class="spacer" />
        <label class="inline-field">
          <span>{t("quality.agent")}</span>
          <select value={agent} onChange={(e) => setAgent(e.currentTarget.value)}>
            <option value="">{t("quality.allAgents")}</option>
            {me.agents.map((a) => (
              <option key={a.agent_id} value={a.agent_id}>
                {a.name}
              </option>
            ))}
          </select>
        </label>
        <fieldset class="segmented-radio">
          <legend class="sr-only">{t("dash.window")}</legend>
          {WINDOWS.map((w) => (
            <label key={w} class={windowDays === w ? "checked" : undefined}>
              <input type="radio" name="quality-window" value={w} checked={windowDays === w} onChange={() => setWindowDays(w)} />
              {t("dash.days", { count: w })}
            </label>
          ))}
        </fieldset>
      </div>
      {report.error ? <ErrorMessage error={report.error} onRetry={report.reload} /> : null}
      {!data && !report.error ? <Loading /> : null}
      {data ? (
        <>
          <div class="quality-summary">
            <section class="panel" aria-labelledby="q-by-agent">
              <h2 id="q-by-agent" class="panel-title">
                {t("quality.byAgent")}
              </h2>
              <table class="meter-table">
                <thead>
                  <tr>
                    <th scope="col">{t("quality.agent")}</th>
                    <th scope="col" class="num">{t("quality.count")}</th>
                  </tr>
                </thead>
                <tbody>
                  {byAgent.map(([a, n]) => (
                    <tr key={a}>
                      <th scope="row">{agentName(a) || a}</th>
                      <td class="num">
                        <Meter value={n} max={maxAgent} />
                        {n}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
            <section class="panel" aria-labelledby="q-by-day">
              <h2 id="q-by-day" class="panel-title">
                {t("quality.byDay")}
              </h2>
              <table class="meter-table">
                <thead>
                  <tr>
                    <th scope="col">{t("dash.date")}</th>
                    <th scope="col" class="num">{t("quality.count")}</th>
                  </tr>
                </thead>
                <tbody>
                  {byDay.map(([d, n]) => (
                    <tr key={d}>
                      <th scope="row">{d}</th>
                      <td class="num">
                        <Meter value={n} max={maxDay} />
                        {n}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
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

function Meter({ value, max }: { value: number; max: number }) {
  return (
    <svg class="meter" viewBox="0 0 100 8" width="100" height="8" aria-hidden="true" focusable="false">
      <rect class="meter-bg" width="100" height="8" rx="2" />
      <rect class="meter-fg" width={Math.max(2, (value / max) * 100)} height="8" rx="2" />
    </svg>
  );
}
