/** One shared one-second clock for every countdown on screen (one timer, however many rows). */

import { useEffect, useState } from "preact/hooks";

type Tick = (now: number) => void;
const subscribers = new Set<Tick>();
let timer: ReturnType<typeof setInterval> | undefined;

function start(): void {
  if (timer !== undefined) return;
  timer = setInterval(() => {
    const now = Date.now();
    for (const s of subscribers) s(now);
  }, 1000);
}

export function useNow(): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    subscribers.add(setNow);
    start();
    return () => {
      subscribers.delete(setNow);
      if (subscribers.size === 0 && timer !== undefined) {
        clearInterval(timer);
        timer = undefined;
      }
    };
  }, []);
  return now;
}
