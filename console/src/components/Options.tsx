/** The <option>s the console's selects share: agents (with who is away), and labelled API values. */

import type { AgentInfo } from "../api-types.ts";
import { useI18n } from "../i18n/index.ts";

/**
 * One option per agent; `current` (an agent the configuration no longer lists, still holding the case) is kept as
 * an option of its own so the select shows the truth; `showAway` marks agents who are not available.
 */
export function AgentOptions({ agents, current, showAway = false }: { agents: readonly AgentInfo[]; current?: string | null; showAway?: boolean }) {
  const { t } = useI18n();
  return (
    <>
      {current && !agents.some((a) => a.agent_id === current) ? <option value={current}>{current}</option> : null}
      {agents.map((a) => (
        <option key={a.agent_id} value={a.agent_id}>
          {showAway && !a.available ? t("case.agentAway", { name: a.name }) : a.name}
        </option>
      ))}
    </>
  );
}

/** One option per value, labelled in the agent's language (`label("status", "on_hold")` → "On hold"). */
export function LabelOptions({ prefix, values }: { prefix: "status" | "priority" | "channel"; values: readonly string[] }) {
  const { label } = useI18n();
  return (
    <>
      {values.map((v) => (
        <option key={v} value={v}>
          {label(prefix, v)}
        </option>
      ))}
    </>
  );
}
