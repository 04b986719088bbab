/** The hash router: `#/inbox/mine`, `#/inbox/queue/billing`, `#/cases/C123`, `#/customers/CU1`, … (no secrets). */

import { useEffect, useState } from "preact/hooks";
import type { InboxView } from "./api-types.ts";

export type Route =
  | { name: "inbox"; view: InboxView; queue: string | null }
  | { name: "case"; id: string }
  | { name: "customer"; id: string }
  | { name: "search" }
  | { name: "dashboard" }
  | { name: "queues"; queue: string | null }
  | { name: "quality" }
  | { name: "notfound" };

const VIEWS: readonly InboxView[] = ["mine", "unassigned", "queue", "breached", "at_risk", "pending", "solved"];

export function parseHash(hash: string): Route {
  const path = hash.replace(/^#/, "").split("?")[0] ?? "";
  const parts = path.split("/").filter(Boolean).map((p) => {
    try {
      return decodeURIComponent(p);
    } catch {
      return p;
    }
  });
  const [head, a, b] = parts;
  if (!head) return { name: "inbox", view: "mine", queue: null };
  switch (head) {
    case "inbox": {
      const view = (a ?? "mine") as InboxView;
      if (!VIEWS.includes(view)) return { name: "notfound" };
      if (view === "queue") return b ? { name: "inbox", view, queue: b } : { name: "notfound" };
      return { name: "inbox", view, queue: null };
    }
    case "cases":
      return a ? { name: "case", id: a } : { name: "notfound" };
    case "customers":
      return a ? { name: "customer", id: a } : { name: "notfound" };
    case "search":
      return { name: "search" };
    case "dashboard":
      return { name: "dashboard" };
    case "queues":
      return { name: "queues", queue: a ?? null };
    case "quality":
      return { name: "quality" };
    default:
      return { name: "notfound" };
  }
}

export function href(route: Route): string {
  const e = encodeURIComponent;
  switch (route.name) {
    case "inbox":
      return route.view === "queue" ? `#/inbox/queue/${e(route.queue ?? "")}` : `#/inbox/${route.view}`;
    case "case":
      return `#/cases/${e(route.id)}`;
    case "customer":
      return `#/customers/${e(route.id)}`;
    case "queues":
      return route.queue ? `#/queues/${e(route.queue)}` : "#/queues";
    case "notfound":
      return "#/";
    default:
      return `#/${route.name}`;
  }
}

export const caseHref = (id: string) => href({ name: "case", id });
export const customerHref = (id: string) => href({ name: "customer", id });

export function navigate(to: string): void {
  if (location.hash !== to) location.hash = to;
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseHash(location.hash));
  useEffect(() => {
    const on = () => setRoute(parseHash(location.hash));
    addEventListener("hashchange", on);
    return () => removeEventListener("hashchange", on);
  }, []);
  return route;
}
