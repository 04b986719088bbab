/** Language choice, translation and locale-aware formatting (in the agent's time zone). */

import { createContext } from "preact";
import { useContext } from "preact/hooks";
import { en, type MessageKey, type Messages } from "./en.ts";
import { zh } from "./zh.ts";
import { formatDuration, type DurationUnits } from "../sla.ts";

export type Lang = "en" | "zh";
export type { MessageKey };

const DICTIONARIES: Record<Lang, Messages> = { en, zh };
const LANG_KEY = "omnicase.lang";
export const LANGS: readonly { code: Lang; label: string }[] = [
  { code: "en", label: "English" },
  { code: "zh", label: "简体中文" },
];

export function detectLang(): Lang {
  try {
    const saved = localStorage.getItem(LANG_KEY);
    if (saved === "en" || saved === "zh") return saved;
  } catch {
    // storage unavailable: fall through to the browser's language
  }
  const langs = navigator.languages?.length ? navigator.languages : [navigator.language];
  for (const l of langs) {
    const low = (l || "").toLowerCase();
    if (low.startsWith("zh")) return "zh";
    if (low.startsWith("en")) return "en";
  }
  return "en";
}

export function rememberLang(lang: Lang): void {
  try {
    localStorage.setItem(LANG_KEY, lang);
  } catch {
    // not remembered; still switched for this page
  }
}

export type Vars = Record<string, string | number>;

/** `key`, or `key.one` when `vars.count` is 1 and the dictionary has that form ("1 case", not "1 cases"). */
export function translate(dict: Messages, key: MessageKey, vars?: Vars): string {
  const one = vars?.["count"] === 1 ? (`${key}.one` as MessageKey) : null;
  const text = (one !== null && one in dict ? dict[one] : dict[key]) ?? en[key];
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}

/** A time zone the browser knows, or undefined (the browser's own). */
export function validTimeZone(tz: string | null | undefined): string | undefined {
  if (!tz) return undefined;
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return tz;
  } catch {
    return undefined;
  }
}

export interface I18n {
  lang: Lang;
  locale: string;
  timeZone: string | undefined;
  t: (key: MessageKey, vars?: Vars) => string;
  /** known keys get their label; anything else is shown as the API spelled it */
  label: (prefix: string, value: string) => string;
  dateTime: (iso: string | null | undefined) => string;
  time: (iso: string | null | undefined) => string;
  shortDate: (isoDate: string) => string;
  duration: (ms: number) => string;
  percent: (rate: number | null) => string;
  bytes: (n: number) => string;
  number: (n: number) => string;
}

export function makeI18n(lang: Lang, timeZoneWanted: string | null | undefined): I18n {
  const dict = DICTIONARIES[lang];
  const locale = lang === "zh" ? "zh-CN" : "en-GB";
  const timeZone = validTimeZone(timeZoneWanted);
  const t = (key: MessageKey, vars?: Vars) => translate(dict, key, vars);
  const dtf = new Intl.DateTimeFormat(locale, { timeZone, dateStyle: "medium", timeStyle: "short" });
  const today = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
  const tf = new Intl.DateTimeFormat(locale, { timeZone, hour: "2-digit", minute: "2-digit" });
  const df = new Intl.DateTimeFormat(locale, { timeZone: "UTC", month: "short", day: "numeric" });
  const pf = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 0 });
  const nf = new Intl.NumberFormat(locale);
  const units: DurationUnits = { d: t("sla.d"), h: t("sla.h"), m: t("sla.m"), s: t("sla.s"), sep: t("sla.sep") };
  const parse = (iso: string | null | undefined) => {
    if (!iso) return null;
    const d = new Date(iso);
    return Number.isNaN(d.getTime()) ? null : d;
  };
  return {
    lang,
    locale,
    timeZone,
    t,
    label: (prefix, value) => {
      const key = `${prefix}.${value}` as MessageKey;
      return key in dict ? t(key) : value;
    },
    dateTime: (iso) => {
      const d = parse(iso);
      return d ? dtf.format(d) : t("app.none");
    },
    time: (iso) => {
      const d = parse(iso);
      if (!d) return t("app.none");
      // today: the time only; otherwise the date too
      return today.format(d) === today.format(new Date()) ? tf.format(d) : dtf.format(d);
    },
    shortDate: (isoDate) => {
      const d = parse(`${isoDate}T00:00:00Z`);
      return d ? df.format(d) : isoDate;
    },
    duration: (ms) => formatDuration(ms, units),
    percent: (rate) => (rate === null || rate === undefined ? t("dash.noData") : pf.format(rate)),
    bytes: (n) => {
      if (n < 1024) return `${nf.format(n)} B`;
      if (n < 1024 * 1024) return `${nf.format(Math.round(n / 102.4) / 10)} KB`;
      return `${nf.format(Math.round(n / 104857.6) / 10)} MB`;
    },
    number: (n) => nf.format(n),
  };
}

/** Today's date (YYYY-MM-DD) in a time zone, and date arithmetic on such dates. */
export function todayIn(timeZone: string | undefined, now: Date = new Date()): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(now);
}

export function addDays(isoDate: string, days: number): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export const I18nContext = createContext<I18n>(makeI18n("en", undefined));

export function useI18n(): I18n {
  return useContext(I18nContext);
}
