/** Search results (GET /search): cases as inbox rows, and customers. The query stays in memory, not in the URL. */

import { useEffect, useRef, useState } from "preact/hooks";
import { api } from "../api.ts";
import type { SearchResult } from "../api-types.ts";
import { CaseTable } from "../components/CaseTable.tsx";
import { ErrorMessage, Loading } from "../components/Feedback.tsx";
import { CustomerBadges } from "../components/Labels.tsx";
import { useI18n } from "../i18n/index.ts";
import { rememberList } from "../nav-list.ts";
import { caseHref, customerHref, navigate } from "../router.ts";
import { useShortcut } from "../shortcuts.ts";

export function SearchView({ query }: { query: string }) {
  const { t } = useI18n();
  const [result, setResult] = useState<SearchResult | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [active, setActive] = useState(0);
  const tableRef = useRef<HTMLTableElement>(null);
  const [nonce, setNonce] = useState(0);

  useEffect(() => {
    if (!query) return;
    const controller = new AbortController();
    setResult(null);
    setError(null);
    setActive(0);
    api
      .search(query, controller.signal)
      .then((r) => {
        setResult(r);
        rememberList(r.cases.map((c) => c.case_id), "#/search");
      })
      .catch((e: unknown) => {
        if (!controller.signal.aborted) setError(e);
      });
    return () => controller.abort();
  }, [query, nonce]);

  const focusRow = (i: number) => {
    const n = result?.cases.length ?? 0;
    if (n === 0) return;
    const index = Math.max(0, Math.min(i, n - 1));
    setActive(index);
    tableRef.current?.querySelector<HTMLAnchorElement>(`a[data-index="${index}"]`)?.focus();
  };
  useShortcut("down", (e) => {
    e.preventDefault();
    focusRow(active + 1);
  });
  useShortcut("up", (e) => {
    e.preventDefault();
    focusRow(active - 1);
  });
  useShortcut("open", () => {
    const row = result?.cases[active];
    if (!row) return false;
    navigate(caseHref(row.case_id));
    return true;
  });

  return (
    <section aria-labelledby="search-title">
      <h1 id="search-title" class="screen-title">
        {query ? t("search.results", { q: query }) : t("search.title")}
      </h1>
      {!query ? <p class="muted">{t("search.prompt")}</p> : null}
      {error ? <ErrorMessage error={error} onRetry={() => setNonce((n) => n + 1)} /> : null}
      {query && !result && !error ? <Loading /> : null}
      {result ? (
        <>
          {result.cases.length === 0 && result.customers.length === 0 ? <p class="empty">{t("search.none")}</p> : null}
          {result.customers.length > 0 ? (
            <section class="panel" aria-labelledby="search-customers">
              <h2 id="search-customers" class="panel-title">
                {t("search.customers")}
              </h2>
              <ul class="plain customer-results">
                {result.customers.map((c) => (
                  <li key={c.customer_id}>
                    <a href={customerHref(c.customer_id)}>{c.display_name || c.customer_id}</a> <CustomerBadges customer={c} />{" "}
                    <span class="muted small">{c.identities.join(" · ")}</span>
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
          {result.cases.length > 0 ? (
            <section aria-labelledby="search-cases">
              <h2 id="search-cases" class="sub-title">
                {t("search.cases")}
              </h2>
              <div class="table-wrap">
                <CaseTable rows={result.cases} caption={t("search.cases")} active={active} onFocusRow={setActive} tableRef={tableRef} />
              </div>
            </section>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
