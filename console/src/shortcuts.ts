/**
 * Keyboard shortcuts. The app listens once on the document; screens register what each action does while they
 * are shown. Nothing fires while the agent types in a field, except Ctrl/Cmd+Enter and Esc.
 */

import { useEffect, useRef } from "preact/hooks";

export type Action = "down" | "up" | "open" | "reply" | "send" | "next" | "back" | "search" | "help" | "new";

export function isTypingTarget(el: EventTarget | null): boolean {
  if (!(el instanceof HTMLElement)) return false;
  if (el.isContentEditable) return true;
  const tag = el.tagName;
  if (tag === "TEXTAREA" || tag === "SELECT") return true;
  if (tag === "INPUT") {
    const type = (el as HTMLInputElement).type;
    return !["button", "submit", "reset", "checkbox", "radio", "range", "color", "file"].includes(type);
  }
  return false;
}

/** Which action a key press is, given where focus is; null: not a shortcut (let the browser have it). */
export function actionFor(e: KeyboardEvent): Action | null {
  if (e.defaultPrevented || e.isComposing) return null;
  const typing = isTypingTarget(e.target);
  if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) return "send";
  if (e.key === "Escape") return "back";
  if (typing || e.ctrlKey || e.metaKey || e.altKey) return null;
  const target = e.target instanceof HTMLElement ? e.target : null;
  // keys that buttons, links, and the dashboard's charts use themselves
  const onControl = target !== null && target.closest("button, [role=img][tabindex], dialog, summary") !== null;
  switch (e.key) {
    case "j":
      return "down";
    case "k":
      return "up";
    case "ArrowDown":
      return onControl ? null : "down";
    case "ArrowUp":
      return onControl ? null : "up";
    case "Enter":
      // a focused link or button does its own thing; Enter on a row or the page opens the selected case
      return target && target.closest("a, button, summary") ? null : "open";
    case "r":
      return "reply";
    case "n":
      return "next";
    case "c":
      return "new";
    case "/":
      return "search";
    case "?":
      return "help";
    default:
      return null;
  }
}

type Handler = (e: KeyboardEvent) => boolean | void;
const handlers = new Map<Action, Handler[]>();

/** The latest registered handler of an action runs; returning false passes the key on to the one before. */
export function dispatch(action: Action, e: KeyboardEvent): boolean {
  const list = handlers.get(action) ?? [];
  for (let i = list.length - 1; i >= 0; i -= 1) {
    const h = list[i];
    if (h && h(e) !== false) return true;
  }
  return false;
}

export function useShortcut(action: Action, handler: Handler): void {
  const ref = useRef(handler);
  ref.current = handler;
  useEffect(() => {
    const h: Handler = (e) => ref.current(e);
    const list = handlers.get(action) ?? [];
    list.push(h);
    handlers.set(action, list);
    return () => {
      const now = handlers.get(action) ?? [];
      handlers.set(
        action,
        now.filter((x) => x !== h),
      );
    };
  }, [action]);
}
