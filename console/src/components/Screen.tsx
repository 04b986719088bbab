/** A screen's toolbar (its h1, a muted note beside it, controls on the right) and the day-window picker of reports. */

import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import { addDays, todayIn, useI18n } from "../i18n/index.ts";

export function Toolbar({ id, title, note, children }: { id: string; title: string; note?: ComponentChildren; children?: ComponentChildren }) {
  return (
    <div class="toolbar">
      <h1 id={id} class="screen-title">
        {title}
      </h1>
      {note}
      <span class="spacer" />
      {children}
    </div>
  );
}

const WINDOWS = [7, 30, 90] as const;

export interface DayWindow {
  days: number;
  setDays: (days: number) => void;
  /** ISO dates in the tenant's time zone: `from` inclusive, `to` exclusive (as the report routes take them) */
  from: string;
  to: string;
  /** today, the window's last day */
  last: string;
}

/** The last `days` days up to today, in the tenant's time zone. */
export function useDayWindow(initialDays: number): DayWindow {
  const i18n = useI18n();
  const [days, setDays] = useState(initialDays);
  const last = todayIn(i18n.timeZone);
  return { days, setDays, from: addDays(last, 1 - days), to: addDays(last, 1), last };
}

/** 7 / 30 / 90 days as one radio group, and the dates it covers (beside the screen's title). */
export function WindowPicker({ name, range: w }: { name: string; range: DayWindow }) {
  const { t } = useI18n();
  return (
    <fieldset class="segmented-radio">
      <legend class="sr-only">{t("dash.window")}</legend>
      {WINDOWS.map((d) => (
        <label key={d} class={w.days === d ? "checked" : undefined}>
          <input type="radio" name={name} value={d} checked={w.days === d} onChange={() => w.setDays(d)} />
          {t("dash.days", { count: d })}
        </label>
      ))}
    </fieldset>
  );
}

export function WindowRange({ range: w }: { range: DayWindow }) {
  const i18n = useI18n();
  return (
    <span class="muted count">
      {i18n.shortDate(w.from)} – {i18n.shortDate(w.last)}
      {i18n.timeZone ? ` · ${i18n.timeZone}` : ""}
    </span>
  );
}
