/** The inbox: one view of cases (API order: soonest deadline first), filters, live merge of the changes feed. */

import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { api } from "../api.ts";
import { CHANNELS, PRIORITIES, type InboxRow, type InboxView } from "../api-types.ts";
import { CaseTable } from "../components/CaseTable.tsx";
import { ErrorMessage, Loading } from "../components/Feedback.tsx";
import { LabelOptions } from "../components/Options.tsx";
import { Toolbar } from "../components/Screen.tsx";
import { submitted, useSession } from "../hooks.ts";
import { useI18n, type I18n } from "../i18n/index.ts";
import { compareRows, mergeChanges, type ViewContext, type ViewFilters } from "../inbox-merge.ts";
import { announce, onChanges } from "../live.ts";
import { lastOpenedCase, rememberList } from "../nav-list.ts";
import { caseHref, href, navigate } from "../router.ts";
import { useShortcut } from "../shortcuts.ts";
import { DEFAULT_WARNING_LEAD_MS } from "../sla.ts";

const PAGE = 100;
const RENDER_STEP = 200;
const PRIORITY_RANK: Record<string, number> = { urgent: 0, high: 1, normal: 2, low: 3 };

type Sort = "deadline" | "priority" | "updated";

export function viewTitle(view: InboxView, queue: string | null, i18n: I18n): string {
  return view === "queue" ? i18n.t("nav.queue", { queue: queue ?? "" }) : i18n.t(`nav.${view}`);
}

export function Inbox({ view, queue }: { view: InboxView; queue: string | null }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { me } = useSession();
  const [filters, setFilters] = useState<ViewFilters>({ channel: "", priority: "", tag: "" });
  const [tagInput, setTagInput] = useState("");
  const [sort, setSort] = useState<Sort>("deadline");
  const [rows, setRowsState] = useState<InboxRow[] | null>(null);
  /** rows new to the view that sort past the loaded pages (see inbox-merge.ts), by case id, for the notice */
  const [heldBack, setHeldBack] = useState<ReadonlyMap<string, InboxRow>>(new Map());
  const [next, setNext] = useState<string | null>(null);
  const [totalOpen, setTotalOpen] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [active, setActive] = useState(0);
  const [cap, setCap] = useState(RENDER_STEP);
  const [nonce, setNonce] = useState(0);
  const tableRef = useRef<HTMLTableElement>(null);
  const buffered = useRef<InboxRow[]>([]);
  // the rows as last set (a changes batch and a page may both land before the next render)
  const rowsRef = useRef<InboxRow[] | null>(null);
  const setRows = (next: InboxRow[] | null) => {
    rowsRef.current = next;
    setRowsState(next);
  };
  const title = viewTitle(view, queue, i18n);

  const ctx = (): ViewContext => ({
    view,
    queue,
    agentId: me.agent_id,
    myQueues: me.agent_id ? me.my_queues : null,
    filters,
    now: Date.now(),
    leadMs: DEFAULT_WARNING_LEAD_MS,
  });

  // load the first page whenever the view or a filter changes
  useEffect(() => {
    const controller = new AbortController();
    setRows(null);
    setHeldBack(new Map());
    setError(null);
    setActive(0);
    setCap(RENDER_STEP);
    buffered.current = [];
    api
      .inbox(
        { view, queue, channel: filters.channel, priority: filters.priority, tag: filters.tag, limit: PAGE },
        controller.signal,
      )
      .then((page) => {
        const merged = mergeChanges(page.cases, buffered.current, ctx(), page.next !== null);
        buffered.current = [];
        setRows(merged.rows);
        setHeldBack(new Map(merged.heldBack.map((r) => [r.case_id, r])));
        const back = lastOpenedCase();
        const at = back ? merged.rows.findIndex((r) => r.case_id === back) : -1;
        if (at >= 0) setActive(at);
        setNext(page.next);
        setTotalOpen(page.total_open ?? null);
      })
      .catch((e: unknown) => {
        if (!controller.signal.aborted) setError(e);
      });
    return () => controller.abort();
  }, [view, queue, filters.channel, filters.priority, filters.tag, nonce]);

  // merge live changes
  useEffect(
    () =>
      onChanges((changed) => {
        const current = rowsRef.current;
        if (current === null) {
          buffered.current.push(...changed);
          return;
        }
        const result = mergeChanges(current, changed, ctx(), next !== null);
        setRows(result.rows);
        setHeldBack((held) => {
          const map = new Map(held);
          for (const r of changed) map.delete(r.case_id); // changed again: judged afresh below
          for (const r of result.heldBack) map.set(r.case_id, r);
          return map;
        });
        if (result.added.length === 1 && result.added[0]) {
          const r = result.added[0];
          announce(t("inbox.newCase", { view: title, subject: r.first_line || r.subject }));
        } else if (result.added.length > 1) {
          announce(t("inbox.newCases", { view: title, count: result.added.length }));
        }
      }),
    [view, queue, filters, next, title],
  );

  const sorted = useMemo(() => {
    if (!rows) return [];
    if (sort === "deadline") return rows;
    if (sort === "updated") return [...rows].sort(compareRows("solved"));
    const byDeadline = compareRows(view);
    return [...rows].sort((a, b) => (PRIORITY_RANK[a.priority] ?? 9) - (PRIORITY_RANK[b.priority] ?? 9) || byDeadline(a, b));
  }, [rows, sort, view]);

  useEffect(() => {
    rememberList(
      sorted.map((r) => r.case_id),
      href({ name: "inbox", view, queue }),
    );
  }, [sorted, view, queue]);

  useEffect(() => {
    if (active >= sorted.length && sorted.length > 0) setActive(sorted.length - 1);
  }, [sorted.length, active]);

  const focusRow = (i: number) => {
    const max = Math.min(sorted.length, cap) - 1;
    if (max < 0) return;
    const index = Math.max(0, Math.min(i, max));
    setActive(index);
    const link = tableRef.current?.querySelector<HTMLAnchorElement>(`a[data-index="${index}"]`);
    link?.focus();
  };
  const rowFocused = () => document.activeElement instanceof HTMLElement && document.activeElement.dataset["index"] !== undefined;

  useShortcut("down", (e) => {
    e.preventDefault();
    focusRow(rowFocused() ? active + 1 : active);
  });
  useShortcut("up", (e) => {
    e.preventDefault();
    focusRow(rowFocused() ? active - 1 : active);
  });
  const openActive = () => {
    const row = sorted[active];
    if (!row) return false;
    navigate(caseHref(row.case_id));
    return true;
  };
  useShortcut("open", openActive);
  useShortcut("next", openActive);
  useShortcut("back", (e) => {
    if (e.target instanceof HTMLElement && e.target !== document.body) {
      e.target.blur();
      return true;
    }
    return false;
  });

  const loadMore = async () => {
    if (!next) return;
    setLoadingMore(true);
    try {
      const page = await api.inbox({
        view, queue, channel: filters.channel, priority: filters.priority, tag: filters.tag, limit: PAGE, next,
      });
      const current = rowsRef.current ?? [];
      const seen = new Set(current.map((r) => r.case_id));
      const longer = [...current, ...page.cases.filter((r) => !seen.has(r.case_id))];
      // rows held back while this page was unloaded: those it did not bring go in now if they sort within it
      const loaded = new Set(longer.map((r) => r.case_id));
      const waiting = [...heldBack.values()].filter((r) => !loaded.has(r.case_id));
      const merged = mergeChanges(longer, waiting, ctx(), page.next !== null);
      setRows(merged.rows);
      setHeldBack(new Map(merged.heldBack.map((r) => [r.case_id, r])));
      setNext(page.next);
      setCap((c) => Math.max(c, merged.rows.length));
    } catch (e) {
      setError(e);
    } finally {
      setLoadingMore(false);
    }
  };

  const count = rows?.length ?? 0;
  return (
    <section class="inbox" aria-labelledby="inbox-title">
      <Toolbar
        id="inbox-title"
        title={title}
        note={
          <span class="muted count" role="status">
            {rows === null ? "" : next ? t("inbox.countMore", { count }) : t("inbox.count", { count })}
            {totalOpen !== null ? ` · ${t("inbox.totalOpen", { count: totalOpen })}` : ""}
          </span>
        }
      >
        <button type="button" class="btn btn-ghost btn-small" onClick={() => setNonce((n) => n + 1)}>
          {t("inbox.refresh")}
        </button>
      </Toolbar>
      <form
        class="filters"
        aria-label={t("inbox.filters")}
        onSubmit={submitted(() => setFilters((f) => ({ ...f, tag: tagInput.trim().toLowerCase() })))}
      >
        <label>
          <span>{t("inbox.channel")}</span>
          <select
            value={filters.channel}
            onChange={(e) => setFilters((f) => ({ ...f, channel: (e.currentTarget.value || "") as ViewFilters["channel"] }))}
          >
            <option value="">{t("inbox.any")}</option>
            <LabelOptions prefix="channel" values={CHANNELS} />
          </select>
        </label>
        <label>
          <span>{t("inbox.priority")}</span>
          <select
            value={filters.priority}
            onChange={(e) => setFilters((f) => ({ ...f, priority: (e.currentTarget.value || "") as ViewFilters["priority"] }))}
          >
            <option value="">{t("inbox.any")}</option>
            <LabelOptions prefix="priority" values={PRIORITIES} />
          </select>
        </label>
        <label>
          <span>{t("inbox.tag")}</span>
          <input
            type="text"
            value={tagInput}
            placeholder={t("inbox.tagPlaceholder")}
            onInput={(e) => setTagInput(e.currentTarget.value)}
            onBlur={() => setFilters((f) => (f.tag === tagInput.trim().toLowerCase() ? f : { ...f, tag: tagInput.trim().toLowerCase() }))}
            size={12}
          />
        </label>
        <label>
          <span>{t("inbox.sort")}</span>
          <select value={sort} onChange={(e) => setSort(e.currentTarget.value as Sort)}>
            {/* the API's order: soonest deadline first; in "recently solved", the newest first */}
            <option value="deadline">{t(view === "solved" ? "inbox.sortNewest" : "inbox.sortDeadline")}</option>
            <option value="priority">{t("inbox.sortPriority")}</option>
            <option value="updated">{t("inbox.sortUpdated")}</option>
          </select>
        </label>
      </form>
      {/* always in the page, so the notice is announced (politely) when it appears */}
      <div role="status" class="held-back">
        {heldBack.size > 0 ? (
          <p class="notice notice-info">
            <span>{t("inbox.heldBack", { count: heldBack.size })}</span>
            {next ? (
              <button type="button" class="btn btn-small" onClick={() => void loadMore()} disabled={loadingMore}>
                {t("inbox.heldBackLoad")}
              </button>
            ) : null}
            <button type="button" class="btn btn-small btn-ghost" onClick={() => setNonce((n) => n + 1)}>
              {t("inbox.heldBackRefresh")}
            </button>
          </p>
        ) : null}
      </div>
      {error ? <ErrorMessage error={error} onRetry={() => setNonce((n) => n + 1)} /> : null}
      {rows === null && !error ? <Loading /> : null}
      {rows !== null && rows.length === 0 ? <p class="empty">{t("inbox.empty")}</p> : null}
      {rows !== null && rows.length > 0 ? (
        <div class="table-wrap">
          <CaseTable
            rows={sorted}
            caption={t(view === "solved" ? "inbox.captionSolved" : "inbox.caption", { view: title })}
            active={active}
            onFocusRow={setActive}
            cap={cap}
            onShowMore={() => setCap((c) => c + RENDER_STEP)}
            tableRef={tableRef}
            showQueue={view !== "queue"}
          />
        </div>
      ) : null}
      {next && rows !== null && cap >= rows.length ? (
        <p class="table-more">
          <button type="button" class="btn" onClick={() => void loadMore()} disabled={loadingMore}>
            {loadingMore ? t("app.loading") : t("inbox.loadMore")}
          </button>
        </p>
      ) : null}
    </section>
  );
}
