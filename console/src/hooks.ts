/** Small shared hooks: loading data with abort on change, one action at a time, forms, the signed-in agent's context. */

import { createContext } from "preact";
import { useCallback, useContext, useEffect, useRef, useState } from "preact/hooks";
import type { AgentInfo, Me } from "./api-types.ts";

export interface Loaded<T> {
  data: T | null;
  error: unknown;
  loading: boolean;
  reload: () => void;
  setData: (next: T | null | ((prev: T | null) => T | null)) => void;
}

/** Runs `load` when `deps` change (aborting the previous run); keeps the last data while reloading. */
export function useLoad<T>(load: (signal: AbortSignal) => Promise<T>, deps: unknown[]): Loaded<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const [nonce, setNonce] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    setError(null);
    loadRef
      .current(controller.signal)
      .then((d) => {
        if (!controller.signal.aborted) setData(d);
      })
      .catch((e: unknown) => {
        if (!controller.signal.aborted && !(e instanceof DOMException && e.name === "AbortError")) setError(e);
      })
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => controller.abort();
  }, [...deps, nonce]);
  const reload = useCallback(() => setNonce((n) => n + 1), []);
  return { data, error, loading, reload, setData };
}

/** A form's onSubmit: no page load, then `run` (an async `run` is not awaited; it reports its own errors). */
export function submitted(run: () => unknown): (e: Event) => void {
  return (e) => {
    e.preventDefault();
    void run();
  };
}

export interface Action {
  busy: boolean;
  /** the last run's error (cleared when a run starts) */
  error: unknown;
  run: (call: () => Promise<void>) => Promise<void>;
}

/** One action at a time (a save, a merge): busy while it runs, its error kept for the form to show. */
export function useAction(): Action {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = async (call: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await call();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run };
}

export interface Session {
  me: Me;
  supervisor: boolean;
  agentName: (id: string | null | undefined) => string;
  agent: (id: string | null | undefined) => AgentInfo | undefined;
  /** after PUT /agents/{id}/availability: the agent's `available` as stored (routing, the assignee lists) */
  setAgentAvailable: (id: string, available: boolean) => void;
}

export function makeSession(me: Me, setAgentAvailable: Session["setAgentAvailable"] = () => undefined): Session {
  const byId = new Map(me.agents.map((a) => [a.agent_id, a]));
  return {
    me,
    supervisor: me.role === "supervisor" || me.role === "admin",
    agentName: (id) => (id ? (byId.get(id)?.name ?? id) : ""),
    agent: (id) => (id ? byId.get(id) : undefined),
    setAgentAvailable,
  };
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error("no session");
  return s;
}
