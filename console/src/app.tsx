/** The app: session state, the header / nav / main shell, routes with an error boundary each, live regions. */

import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { api, onThrottle } from "./api.ts";
import type { Me } from "./api-types.ts";
import { ErrorBoundary } from "./components/ErrorBoundary.tsx";
import { ErrorMessage, Loading } from "./components/Feedback.tsx";
import { PresenceControl } from "./components/Availability.tsx";
import { IconLogo, IconSearch } from "./components/Icons.tsx";
import { NewCaseDialog } from "./components/NewCase.tsx";
import { ShortcutHelp } from "./components/ShortcutHelp.tsx";
import { makeSession, SessionContext, useSession } from "./hooks.ts";
import { detectLang, I18nContext, LANGS, makeI18n, rememberLang, useI18n, type Lang } from "./i18n/index.ts";
import { announce, onAnnounce, onLiveStatus, retryLive, startLive, stopLive, type LiveStatus } from "./live.ts";
import { lastInboxHash } from "./nav-list.ts";
import { href, navigate, useRoute, type Route } from "./router.ts";
import { isSignedIn, onSession, signOut, type SessionStatus } from "./session.ts";
import { actionFor, dispatch } from "./shortcuts.ts";
import { errorText } from "./errors.ts";
import { useNow } from "./ticker.ts";
import { CaseView } from "./views/CaseView.tsx";
import { CustomerView } from "./views/CustomerView.tsx";
import { Dashboard } from "./views/Dashboard.tsx";
import { Inbox } from "./views/Inbox.tsx";
import { Quality } from "./views/Quality.tsx";
import { QueueBoard } from "./views/QueueBoard.tsx";
import { SearchView } from "./views/Search.tsx";
import { SignIn } from "./views/SignIn.tsx";

export function App() {
  const [lang, setLangState] = useState<Lang>(detectLang);
  const [status, setStatus] = useState<SessionStatus | "initial">(isSignedIn() ? "signed-in" : "initial");
  const [me, setMe] = useState<Me | null>(null);
  const [meError, setMeError] = useState<unknown>(null);
  const [meNonce, setMeNonce] = useState(0);
  const i18n = useMemo(() => makeI18n(lang, me?.time_zone), [lang, me?.time_zone]);
  const session = useMemo(
    () =>
      me
        ? makeSession(me, (id, available) =>
            setMe((m) => (m ? { ...m, agents: m.agents.map((a) => (a.agent_id === id ? { ...a, available } : a)) } : m)),
          )
        : null,
    [me],
  );

  const setLang = (l: Lang) => {
    rememberLang(l);
    setLangState(l);
  };

  useEffect(() => {
    document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
  }, [lang]);

  useEffect(
    () =>
      onSession((s) => {
        setStatus(s);
        if (s !== "signed-in") {
          stopLive();
          setMe(null);
        }
      }),
    [],
  );

  useEffect(() => {
    if (status !== "signed-in") return;
    const controller = new AbortController();
    setMeError(null);
    api
      .me(controller.signal)
      .then((m) => {
        setMe(m);
        startLive();
      })
      .catch((e: unknown) => {
        if (!controller.signal.aborted) setMeError(e);
      });
    return () => {
      controller.abort();
      stopLive();
    };
  }, [status, meNonce]);

  let body;
  if (status !== "signed-in") {
    body = <SignIn reason={status === "expired" ? "expired" : status === "signed-out" ? "signed-out" : null} onLang={setLang} />;
  } else if (!me || !session) {
    body = (
      <main id="main" class="boot">
        {meError ? <ErrorMessage error={meError} onRetry={() => setMeNonce((n) => n + 1)} /> : <Loading />}
      </main>
    );
  } else {
    body = (
      <SessionContext.Provider value={session}>
        <Shell onLang={setLang} />
      </SessionContext.Provider>
    );
  }
  return (
    <I18nContext.Provider value={i18n}>
      {body}
      <LiveRegions />
    </I18nContext.Provider>
  );
}

function Shell({ onLang }: { onLang: (l: Lang) => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { me, supervisor } = useSession();
  const route = useRoute();
  const [query, setQuery] = useState("");
  const [searchText, setSearchText] = useState("");
  const [help, setHelp] = useState(false);
  const [newCase, setNewCase] = useState(false);
  const searchRef = useRef<HTMLInputElement>(null);
  const mainRef = useRef<HTMLElement>(null);

  useEffect(() => {
    const on = (e: KeyboardEvent) => {
      const action = actionFor(e);
      if (!action) return;
      if (document.querySelector("dialog[open]")) return; // the dialog handles its own keys
      if (action === "search") {
        e.preventDefault();
        searchRef.current?.focus();
        searchRef.current?.select();
        return;
      }
      if (action === "help") {
        e.preventDefault();
        setHelp(true);
        return;
      }
      if (action === "new") {
        e.preventDefault();
        setNewCase(true);
        return;
      }
      if (dispatch(action, e)) return;
      if (action === "back") {
        if (e.target === searchRef.current) {
          searchRef.current?.blur();
          return;
        }
        if (location.hash.startsWith("#/inbox") || location.hash === "" || location.hash === "#/") return;
        navigate(lastInboxHash());
      }
    };
    document.addEventListener("keydown", on);
    return () => document.removeEventListener("keydown", on);
  }, []);

  useEffect(() => {
    if (route.name !== "case") document.title = t("app.title");
  }, [route, t]);

  const submitSearch = (e: Event) => {
    e.preventDefault();
    const q = searchText.trim();
    if (!q) return;
    setQuery(q);
    navigate("#/search");
  };

  return (
    <div class="shell">
      <a class="skip" href="#main" onClick={(e) => { e.preventDefault(); mainRef.current?.focus(); }}>
        {t("app.skip")}
      </a>
      <header class="topbar">
        <a class="brand" href={href({ name: "inbox", view: "mine", queue: null })}>
          <IconLogo />
          <span class="brand-name">{t("app.name")}</span>
          <span class="brand-tenant">{me.tenant_name}</span>
        </a>
        <form class="search" role="search" onSubmit={submitSearch}>
          <label class="sr-only" for="global-search">
            {t("header.search")}
          </label>
          <IconSearch />
          <input
            id="global-search"
            ref={searchRef}
            type="search"
            value={searchText}
            placeholder={t("header.searchPlaceholder")}
            maxLength={200}
            aria-keyshortcuts="/"
            onInput={(e) => setSearchText(e.currentTarget.value)}
          />
          <button type="submit" class="btn btn-small">
            {t("header.searchButton")}
          </button>
        </form>
        <button type="button" class="btn btn-small btn-primary" onClick={() => setNewCase(true)} aria-keyshortcuts="c">
          <span aria-hidden="true">+</span> {t("newCase.button")}
        </button>
        <span class="spacer" />
        <PresenceControl />
        <button type="button" class="btn btn-ghost btn-small" onClick={() => setHelp(true)} aria-keyshortcuts="?">
          <span aria-hidden="true">⌨</span> {t("header.shortcuts")}
        </button>
        <label class="sr-only" for="lang-select">
          {t("header.language")}
        </label>
        <select id="lang-select" class="lang" value={i18n.lang} onChange={(e) => onLang(e.currentTarget.value as Lang)}>
          {LANGS.map((l) => (
            <option key={l.code} value={l.code}>
              {l.label}
            </option>
          ))}
        </select>
        <span class="who" title={t("header.signedInAs", { name: me.name ?? me.tenant_name, role: i18n.label("role", me.role) })}>
          <span class="avatar" aria-hidden="true">
            {(me.name ?? me.tenant_name).slice(0, 1).toUpperCase()}
          </span>
          <span class="who-name">{me.name ?? me.tenant_name}</span>
          <span class="who-role">{i18n.label("role", me.role)}</span>
        </span>
        <button type="button" class="btn btn-ghost btn-small" onClick={() => void signOut()}>
          {t("header.signOut")}
        </button>
      </header>
      <div class="body">
        <Nav route={route} supervisor={supervisor} queues={me.my_queues} />
        <main id="main" ref={mainRef} tabIndex={-1} class="main">
          <ErrorBoundary key={routeKey(route)}>
            <Screen route={route} query={query} supervisor={supervisor} />
          </ErrorBoundary>
        </main>
      </div>
      {help ? <ShortcutHelp onClose={() => setHelp(false)} /> : null}
      {newCase ? <NewCaseDialog onClose={() => setNewCase(false)} /> : null}
    </div>
  );
}

function routeKey(route: Route): string {
  return href(route);
}

function Screen({ route, query, supervisor }: { route: Route; query: string; supervisor: boolean }) {
  const { t } = useI18n();
  const back = (
    <p>
      <a class="btn" href={lastInboxHash()}>
        {t("app.back")}
      </a>
    </p>
  );
  const forbidden = (
    <section class="screen-error">
      <h1>{t("forbidden.title")}</h1>
      <p>{t("forbidden.body")}</p>
      {back}
    </section>
  );
  switch (route.name) {
    case "inbox":
      return <Inbox view={route.view} queue={route.queue} />;
    case "case":
      return <CaseView id={route.id} />;
    case "customer":
      return <CustomerView id={route.id} />;
    case "search":
      return <SearchView query={query} />;
    case "dashboard":
      return supervisor ? <Dashboard /> : forbidden;
    case "queues":
      return supervisor ? <QueueBoard queue={route.queue} /> : forbidden;
    case "quality":
      return supervisor ? <Quality /> : forbidden;
    default:
      return (
        <section class="screen-error">
          <h1>{t("notfound.title")}</h1>
          <p>{t("notfound.body")}</p>
          {back}
        </section>
      );
  }
}

function Nav({ route, supervisor, queues }: { route: Route; supervisor: boolean; queues: string[] }) {
  const { t } = useI18n();
  const current = href(route);
  const item = (target: Route, label: string) => {
    const h = href(target);
    const active = current === h || (route.name === "queues" && target.name === "queues");
    return (
      <li key={h}>
        <a href={h} aria-current={active ? "page" : undefined} class={active ? "active" : undefined}>
          {label}
        </a>
      </li>
    );
  };
  return (
    <nav class="sidenav" aria-label={t("header.nav")}>
      <h2 class="nav-title" id="nav-views">
        {t("nav.views")}
      </h2>
      <ul aria-labelledby="nav-views">
        {item({ name: "inbox", view: "mine", queue: null }, t("nav.mine"))}
        {item({ name: "inbox", view: "unassigned", queue: null }, t("nav.unassigned"))}
      </ul>
      {queues.length > 0 ? (
        <>
          <h2 class="nav-title" id="nav-queues">
            {t("nav.queues")}
          </h2>
          <ul aria-labelledby="nav-queues">{queues.map((q) => item({ name: "inbox", view: "queue", queue: q }, q))}</ul>
        </>
      ) : null}
      <ul aria-labelledby="nav-views" class="nav-more">
        {item({ name: "inbox", view: "breached", queue: null }, t("nav.breached"))}
        {item({ name: "inbox", view: "at_risk", queue: null }, t("nav.at_risk"))}
        {item({ name: "inbox", view: "pending", queue: null }, t("nav.pending"))}
        {item({ name: "inbox", view: "solved", queue: null }, t("nav.solved"))}
      </ul>
      {supervisor ? (
        <>
          <h2 class="nav-title" id="nav-sup">
            {t("nav.supervisor")}
          </h2>
          <ul aria-labelledby="nav-sup">
            {item({ name: "dashboard" }, t("nav.dashboard"))}
            {item({ name: "queues", queue: null }, t("nav.queueBoard"))}
            {item({ name: "quality" }, t("nav.quality"))}
          </ul>
        </>
      ) : null}
      <LiveIndicator />
    </nav>
  );
}

/** What the changes feed is doing, truthfully: live, connecting, or failing (why, and when it tries again). */
function LiveIndicator() {
  const i18n = useI18n();
  const { t } = i18n;
  const [live, setLive] = useState<LiveStatus>({ state: "connecting" });
  const was = useRef<LiveStatus["state"]>("connecting");
  useEffect(
    () =>
      onLiveStatus((s) => {
        setLive(s);
        const failing = s.state === "reconnecting" || s.state === "paused";
        const wasFailing = was.current === "reconnecting" || was.current === "paused";
        if (failing && !wasFailing) announce(t("live.lost"));
        if (s.state === "live" && wasFailing) announce(t("live.back"));
        was.current = s.state;
      }),
    [t],
  );
  if (live.state === "reconnecting" || live.state === "paused") {
    return (
      <div class={`live-status live-${live.state}`}>
        <p class="live-line">
          <span class="live-dot" aria-hidden="true" />
          <span>
            {t(live.state === "paused" ? "live.paused" : "live.reconnecting")} <RetryIn at={live.retryAt} />
          </span>
        </p>
        <p class="live-detail">{errorText(live.error, i18n)}</p>
        <button type="button" class="btn btn-small" onClick={retryLive}>
          {t("live.retryNow")}
        </button>
      </div>
    );
  }
  return (
    <div class={`live-status live-${live.state}`}>
      <p class="live-line">
        <span class="live-dot" aria-hidden="true" />
        {live.state === "live" ? t("live.on") : t("live.connecting")}
      </p>
    </div>
  );
}

function RetryIn({ at }: { at: number }) {
  const { t } = useI18n();
  const now = useNow();
  const seconds = Math.max(0, Math.ceil((at - now) / 1000));
  return <span class="live-retry">{seconds > 0 ? t("live.retryIn", { seconds }) : t("live.retrying")}</span>;
}

/** Polite and assertive live regions (always in the page, so they are announced), and the 429 countdown. */
function LiveRegions() {
  const { t } = useI18n();
  const [polite, setPolite] = useState("");
  const [urgent, setUrgent] = useState("");
  const [until, setUntil] = useState<number | null>(null);
  useEffect(
    () =>
      onAnnounce((text, isUrgent) => {
        const set = isUrgent ? setUrgent : setPolite;
        set("");
        setTimeout(() => set(text), 50);
      }),
    [],
  );
  useEffect(() => onThrottle((s) => setUntil(s.until)), []);
  return (
    <>
      <div class="sr-only" aria-live="polite" aria-atomic="true">
        {polite}
      </div>
      <div class="sr-only" aria-live="assertive" aria-atomic="true">
        {urgent}
      </div>
      {until !== null ? <ThrottleBanner until={until} label={(s) => t("error.throttled", { seconds: s })} /> : null}
    </>
  );
}

function ThrottleBanner({ until, label }: { until: number; label: (s: number) => string }) {
  const now = useNow();
  const seconds = Math.max(0, Math.ceil((until - now) / 1000));
  return (
    <div class="throttle" role="status">
      {label(seconds)}
    </div>
  );
}
