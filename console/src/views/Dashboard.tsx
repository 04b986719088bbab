/** Supervisor SLA dashboard: per-day rates (chat 30 s, ticket 30 min, callback 3 days — of key complaints and of low
 * scores apart — CSAT), breaches, escalations. */

import { api } from "../api.ts";
import type { RatePoint, SlaDay } from "../api-types.ts";
import { BarChart, type BarPoint, type ChartTable } from "../components/Charts.tsx";
import { ErrorMessage, Loading } from "../components/Feedback.tsx";
import { Toolbar, useDayWindow, WindowPicker, WindowRange } from "../components/Screen.tsx";
import { useLoad } from "../hooks.ts";
import { useI18n, type I18n } from "../i18n/index.ts";

/** The day's rate as the API rounded it; null (no data) when nothing was due. */
function rateOf(r: RatePoint): number | null {
  return r.total > 0 ? (r.rate ?? r.met / r.total) : null;
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

function rateChart(days: SlaDay[], pick: (d: SlaDay) => RatePoint, i18n: I18n) {
  const points: BarPoint[] = days.map((d) => {
    const r = pick(d);
    return {
      key: d.date,
      axisLabel: i18n.shortDate(d.date),
      value: rateOf(r),
      detail: i18n.t("dash.point", { date: i18n.shortDate(d.date), met: r.met, total: r.total, rate: i18n.percent(rateOf(r)) }),
    };
  });
  const table: ChartTable = {
    head: [i18n.t("dash.date"), i18n.t("dash.met"), i18n.t("dash.total"), i18n.t("dash.rate")],
    rows: days.map((d) => {
      const r = pick(d);
      return [d.date, String(r.met), String(r.total), i18n.percent(rateOf(r))];
    }),
  };
  const met = sum(days.map((d) => pick(d).met));
  const total = sum(days.map((d) => pick(d).total));
  const summary = `${i18n.percent(total > 0 ? met / total : null)} · ${met} / ${total}`;
  return { points, table, summary };
}

const RATE_TICKS = [0, 0.5, 1];

function queueChart(days: SlaDay[], pick: (d: SlaDay) => Record<string, number>, i18n: I18n) {
  const queues = [...new Set(days.flatMap((d) => Object.keys(pick(d) ?? {})))].sort();
  const tone = (q: string) => queues.indexOf(q);
  const points: BarPoint[] = days.map((d) => {
    const byQueue = pick(d) ?? {};
    const total = sum(Object.values(byQueue));
    const detail = queues
      .filter((q) => (byQueue[q] ?? 0) > 0)
      .map((q) => `${q} ${byQueue[q]}`)
      .join(", ");
    return {
      key: d.date,
      axisLabel: i18n.shortDate(d.date),
      value: total,
      segments: queues.map((q) => ({ label: q, value: byQueue[q] ?? 0, tone: tone(q) })),
      detail: i18n.t("dash.pointCount", { date: i18n.shortDate(d.date), total, detail: detail || i18n.t("app.none") }),
    };
  });
  const max = Math.max(1, ...points.map((p) => p.value ?? 0));
  const step = Math.max(1, Math.ceil(max / 4));
  const top = step * Math.ceil(max / step);
  const ticks = [0, step * Math.ceil(top / step / 2), top].filter((v, i, a) => a.indexOf(v) === i).map((v) => ({ value: v, label: String(v) }));
  const table: ChartTable = {
    head: [i18n.t("dash.date"), ...queues, i18n.t("dash.total")],
    rows: days.map((d) => {
      const byQueue = pick(d) ?? {};
      return [d.date, ...queues.map((q) => String(byQueue[q] ?? 0)), String(sum(Object.values(byQueue)))];
    }),
  };
  const total = sum(points.map((p) => p.value ?? 0));
  return { points, table, ticks, max: top, legend: queues.map((q) => ({ label: q, tone: tone(q) })), summary: String(total) };
}

export function Dashboard() {
  const i18n = useI18n();
  const { t } = i18n;
  const range = useDayWindow(30);
  const { from, to } = range;
  const report = useLoad((signal) => api.slaDaily({ from, to }, signal), [from, to]);
  const pct = RATE_TICKS.map((v) => ({ value: v, label: i18n.percent(v) }));

  const days = report.data?.days ?? [];
  const dist = { "1": 0, "2": 0, "3": 0, "4": 0, "5": 0 } as Record<"1" | "2" | "3" | "4" | "5", number>;
  for (const d of days) for (const k of ["1", "2", "3", "4", "5"] as const) dist[k] += d.csat.distribution[k] ?? 0;
  const answers = sum(Object.values(dist));
  const distMax = Math.max(1, ...Object.values(dist));

  return (
    <section aria-labelledby="dash-title" class="dashboard">
      <Toolbar id="dash-title" title={t("dash.title")} note={<WindowRange range={range} />}>
        <WindowPicker name="dash-window" range={range} />
      </Toolbar>
      {report.error ? <ErrorMessage error={report.error} onRetry={report.reload} /> : null}
      {!report.data && !report.error ? <Loading /> : null}
      {report.data ? (
        <div class="charts">
          {(
            [
              ["chat", t("dash.chat"), (d: SlaDay) => d.chat_answer_rate],
              ["ticket", t("dash.ticket"), (d: SlaDay) => d.ticket_response_rate],
              ["callback", t("dash.callback"), (d: SlaDay) => d.callback_rate],
              ["callback-key", t("dash.callbackKey"), (d: SlaDay) => d.key_complaint_callback_rate],
              ["callback-low", t("dash.callbackLow"), (d: SlaDay) => d.low_score_callback_rate],
              ["csat", t("dash.csat"), (d: SlaDay) => ({ met: d.csat.satisfied, total: d.csat.answers, rate: d.csat.rate })],
            ] as const
          ).map(([key, title, pick]) => {
            const c = rateChart(days, pick, i18n);
            return <BarChart key={key} id={`chart-${key}`} title={title} points={c.points} max={1} ticks={pct} table={c.table} summary={c.summary} markZero />;
          })}
          <BarChart
            id="chart-csat-dist"
            title={t("dash.csatDist")}
            summary={`${answers} ${t("dash.answers")}`}
            points={(["1", "2", "3", "4", "5"] as const).map((k) => ({
              key: k,
              axisLabel: t("dash.score", { score: k }),
              value: dist[k],
              segments: [{ label: k, value: dist[k], tone: Number(k) + 2 }],
              detail: t("dash.scorePoint", { score: k, count: dist[k], total: answers, rate: i18n.percent(answers > 0 ? dist[k] / answers : null) }),
            }))}
            max={distMax}
            ticks={[0, distMax].map((v) => ({ value: v, label: String(v) }))}
            table={{
              head: [t("dash.score", { score: "" }).trim() || "Score", t("dash.count"), t("dash.rate")],
              rows: (["1", "2", "3", "4", "5"] as const).map((k) => [k, String(dist[k]), i18n.percent(answers > 0 ? dist[k] / answers : null)]),
            }}
          />
          {(
            [
              ["breaches", t("dash.breaches"), (d: SlaDay) => d.breaches_by_queue],
              ["escalations", t("dash.escalations"), (d: SlaDay) => d.escalations_by_queue],
            ] as const
          ).map(([key, title, pick]) => {
            const c = queueChart(days, pick, i18n);
            return (
              <BarChart
                key={key}
                id={`chart-${key}`}
                title={title}
                points={c.points}
                max={c.max}
                ticks={c.ticks}
                table={c.table}
                legend={c.legend}
                summary={c.summary}
              />
            );
          })}
        </div>
      ) : null}
    </section>
  );
}
