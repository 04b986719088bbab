/** Loading, error and notice blocks; errors are announced (role="alert"). */

import type { ComponentChildren } from "preact";
import { useI18n } from "../i18n/index.ts";
import { errorText } from "../errors.ts";

export function Loading({ label }: { label?: string }) {
  const { t } = useI18n();
  return (
    <p class="loading" role="status">
      <span class="spinner" aria-hidden="true" />
      {label ?? t("app.loading")}
    </p>
  );
}

export function ErrorMessage({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const i18n = useI18n();
  return (
    <div class="notice notice-error" role="alert">
      <span>{errorText(error, i18n)}</span>
      {onRetry ? (
        <button type="button" class="btn btn-small" onClick={onRetry}>
          {i18n.t("app.retry")}
        </button>
      ) : null}
    </div>
  );
}

export function Notice({ kind = "info", children }: { kind?: "info" | "success" | "warning" | "error"; children: ComponentChildren }) {
  return (
    <div class={`notice notice-${kind}`} role={kind === "error" ? "alert" : "status"}>
      {children}
    </div>
  );
}
