/** Small shared hooks: loading data with abort on change, and the signed-in agent's context. */

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

export interface Session {
  me: Me;
  supervisor: boolean;
  agentName: (id: string | null | undefined) => string;
  agent: (id: string | null | undefined) => AgentInfo | undefined;
}

export function makeSession(me: Me): Session {
  const byId = new Map(me.agents.map((a) => [a.agent_id, a]));
  return {
    me,
    supervisor: me.role === "supervisor" || me.role === "admin",
    agentName: (id) => (id ? (byId.get(id)?.name ?? id) : ""),
    agent: (id) => (id ? byId.get(id) : undefined),
  };
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error("no session");
  return s;
}
