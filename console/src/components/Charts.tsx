/**
 * Hand-made SVG bar charts. Each point's detail (numerator / denominator) shows on hover and on keyboard focus
 * (the chart is one tab stop; ←/→ move between points), sits in a <title> for the native tooltip, and the same
 * numbers are in a visually hidden table for screen readers. The figure is named by its title and described by
 * its summary (a note named "Over the window: …"). The x axis labels every k-th point counted back from the last,
 * so the last (today) always has its label.
 */

import { useState } from "preact/hooks";
import { useI18n } from "../i18n/index.ts";

export interface BarSegment {
  label: string;
  value: number;
  tone: number;
}

export interface BarPoint {
  key: string;
  axisLabel: string;
  /** null: no data that day */
  value: number | null;
  segments?: BarSegment[];
  detail: string;
}

export interface ChartTable {
  head: string[];
  rows: string[][];
}

interface Props {
  id: string;
  title: string;
  points: BarPoint[];
  max: number;
  ticks: { value: number; label: string }[];
  table: ChartTable;
  legend?: { label: string; tone: number }[];
  summary?: string;
  /** draw a zero as a thin bar in the chart's colour (a rate of 0 %), apart from the grey mark of "no data" */
  markZero?: boolean;
}

const W = 640;
const H = 190;
const LEFT = 40;
const RIGHT = 8;
const TOP = 10;
const BOTTOM = 26;
const PW = W - LEFT - RIGHT;
const PH = H - TOP - BOTTOM;

function textWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u2e80-\uffff]/.test(ch) ? 11.5 : 6.4;
  return w;
}

export function BarChart({ id, title, points, max, ticks, table, legend, summary, markZero = false }: Props) {
  const { t } = useI18n();
  const [active, setActive] = useState<number | null>(null);
  const [focused, setFocused] = useState(false);
  const [hover, setHover] = useState(false);
  const n = Math.max(points.length, 1);
  const band = PW / n;
  const bw = Math.max(2, Math.min(28, band * 0.72));
  const y = (v: number) => TOP + PH - (max > 0 ? (Math.min(v, max) / max) * PH : 0);
  const every = Math.max(1, Math.ceil(n / 10));
  const labelled = (i: number) => (points.length - 1 - i) % every === 0;
  const show = active !== null && (focused || hover) ? points[active] : undefined;

  const move = (e: KeyboardEvent) => {
    const last = points.length - 1;
    const cur = active ?? last;
    let next: number | null = null;
    if (e.key === "ArrowRight") next = Math.min(last, cur + 1);
    else if (e.key === "ArrowLeft") next = Math.max(0, cur - 1);
    else if (e.key === "Home") next = 0;
    else if (e.key === "End") next = last;
    if (next !== null) {
      e.preventDefault();
      setActive(next);
    }
  };

  let tip = null;
  if (show && active !== null) {
    const tw = textWidth(show.detail) + 16;
    const cx = LEFT + active * band + band / 2;
    const tx = Math.max(2, Math.min(W - tw - 2, cx - tw / 2));
    tip = (
      <g class="chart-tip" aria-hidden="true">
        <rect x={tx} y={2} width={tw} height={22} rx={4} />
        <text x={tx + 8} y={17}>
          {show.detail}
        </text>
      </g>
    );
  }

  return (
    <figure class="chart" aria-labelledby={`${id}-title`} aria-describedby={summary ? `${id}-summary` : undefined}>
      <figcaption class="chart-head">
        <span id={`${id}-title`} class="chart-title">
          {title}
        </span>
        {summary ? (
          <span id={`${id}-summary`} class="chart-summary" role="note" aria-label={`${t("dash.overall")}: ${summary}`}>
            {summary}
          </span>
        ) : null}
      </figcaption>
      <svg
        viewBox={`0 0 ${W} ${H}`}
        class="chart-svg"
        role="img"
        aria-label={t("dash.chartHelp", { title })}
        tabIndex={0}
        onKeyDown={move}
        onFocus={() => {
          setFocused(true);
          if (active === null && points.length > 0) setActive(points.length - 1);
        }}
        onBlur={() => setFocused(false)}
        onMouseEnter={() => setHover(true)}
        onMouseLeave={() => setHover(false)}
      >
        {ticks.map((tk) => (
          <g key={tk.value} class="chart-grid">
            <line x1={LEFT} x2={W - RIGHT} y1={y(tk.value)} y2={y(tk.value)} />
            <text x={LEFT - 6} y={y(tk.value) + 4} text-anchor="end">
              {tk.label}
            </text>
          </g>
        ))}
        {points.map((p, i) => {
          const x = LEFT + i * band + (band - bw) / 2;
          let stack = 0;
          return (
            <g key={p.key} class={`chart-point${active === i && (focused || hover) ? " is-active" : ""}`} onMouseEnter={() => setActive(i)}>
              <title>{p.detail}</title>
              <rect class="chart-hit" x={LEFT + i * band} y={TOP} width={band} height={PH} />
              {p.value === null ? (
                <rect class="bar-none" x={x} y={TOP + PH - 2} width={bw} height={2} />
              ) : p.segments && p.segments.length > 0 ? (
                p.segments.map((s) => {
                  const y1 = y(stack + s.value);
                  const h = y(stack) - y1;
                  stack += s.value;
                  return h > 0 ? <rect key={s.label} class={`bar tone-${s.tone % 8}`} x={x} y={y1} width={bw} height={h} /> : null;
                })
              ) : p.value > 0 || markZero ? (
                <rect class="bar tone-0" x={x} y={Math.min(y(p.value), TOP + PH - 2)} width={bw} height={Math.max(2, TOP + PH - y(p.value))} />
              ) : null}
              {labelled(i) ? (
                <text class="chart-x" x={LEFT + i * band + band / 2} y={H - 8} text-anchor="middle">
                  {p.axisLabel}
                </text>
              ) : null}
            </g>
          );
        })}
        <line class="chart-axis" x1={LEFT} x2={W - RIGHT} y1={TOP + PH} y2={TOP + PH} />
        {tip}
      </svg>
      {legend && legend.length > 0 ? (
        <ul class="chart-legend">
          {legend.map((l) => (
            <li key={l.label}>
              <svg class="swatch" viewBox="0 0 10 10" width="10" height="10" aria-hidden="true" focusable="false">
                <rect class={`bar tone-${l.tone % 8}`} width="10" height="10" rx="2" />
              </svg>
              {l.label}
            </li>
          ))}
        </ul>
      ) : null}
      <p class="sr-only" aria-live="polite">
        {focused && show ? show.detail : ""}
      </p>
      <table class="sr-only">
        <caption>{title}</caption>
        <thead>
          <tr>
            {table.head.map((h) => (
              <th scope="col" key={h}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {table.rows.map((r, i) => (
            <tr key={i}>
              {r.map((c, j) => (j === 0 ? <th scope="row" key={j}>{c}</th> : <td key={j}>{c}</td>))}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
