/** An error as the agent reads it: never a blank page, never a stack trace. */

import { isApiError } from "./api.ts";
import type { I18n } from "./i18n/index.ts";

export function errorText(e: unknown, i18n: I18n): string {
  const { t } = i18n;
  if (isApiError(e)) {
    if (e.status === 0) return t("error.network");
    if (e.status === 403) return t("error.forbidden");
    if (e.status === 404) return t("error.notFound");
    if (e.code === "invalid-transition") return t("error.invalidTransition", { message: e.message });
    if (e.code === "already-assigned") return t("error.alreadyAssigned", { message: e.message });
    if (e.status >= 500) return t("error.server", { status: e.status });
    return t("error.generic", { message: e.message });
  }
  if (e instanceof Error) return t("error.generic", { message: e.message });
  return t("error.generic", { message: String(e) });
}
