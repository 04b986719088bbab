/** Sign-in: username and password (POST /auth/session); errors inline; after an expired session, drafts are kept. */

import { useEffect, useRef, useState } from "preact/hooks";
import { isApiError } from "../api.ts";
import { IconLogo } from "../components/Icons.tsx";
import { errorText } from "../errors.ts";
import { LANGS, useI18n, type Lang } from "../i18n/index.ts";
import { signIn } from "../session.ts";

export function SignIn({ reason, onLang }: { reason: "expired" | "signed-out" | null; onLang: (l: Lang) => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const userRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    userRef.current?.focus();
    document.title = t("app.title");
  }, []);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!username.trim() || !password) {
      setError(t("signin.required"));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await signIn(username.trim(), password);
    } catch (err) {
      setPassword("");
      if (isApiError(err) && (err.status === 401 || err.status === 400)) setError(t("signin.wrong"));
      else setError(t("signin.failed", { message: errorText(err, i18n) }));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="signin-page">
      <main class="signin-card" id="main">
        <div class="signin-brand">
          <IconLogo />
          <span>{t("app.name")}</span>
        </div>
        <h1>{t("signin.title")}</h1>
        {reason === "expired" ? (
          <p class="notice notice-warning" role="status">
            {t("signin.expired")}
          </p>
        ) : null}
        {reason === "signed-out" ? (
          <p class="notice notice-info" role="status">
            {t("signin.signedOut")}
          </p>
        ) : null}
        <form onSubmit={(e) => void submit(e)} noValidate>
          <div class="field">
            <label for="signin-user">{t("signin.username")}</label>
            <input
              id="signin-user"
              ref={userRef}
              type="text"
              name="username"
              autoComplete="username"
              autoCapitalize="none"
              spellcheck={false}
              value={username}
              required
              aria-invalid={error !== null}
              aria-describedby={error ? "signin-error" : undefined}
              onInput={(e) => setUsername(e.currentTarget.value)}
            />
          </div>
          <div class="field">
            <label for="signin-pass">{t("signin.password")}</label>
            <input
              id="signin-pass"
              type="password"
              name="password"
              autoComplete="current-password"
              value={password}
              required
              aria-invalid={error !== null}
              aria-describedby={error ? "signin-error" : undefined}
              onInput={(e) => setPassword(e.currentTarget.value)}
            />
          </div>
          {error ? (
            <p id="signin-error" class="notice notice-error" role="alert">
              {error}
            </p>
          ) : null}
          <button type="submit" class="btn btn-primary btn-block" disabled={busy}>
            {busy ? t("signin.submitting") : t("signin.submit")}
          </button>
        </form>
        <div class="signin-lang">
          <label for="signin-lang">{t("header.language")}</label>
          <select id="signin-lang" value={i18n.lang} onChange={(e) => onLang(e.currentTarget.value as Lang)}>
            {LANGS.map((l) => (
              <option key={l.code} value={l.code}>
                {l.label}
              </option>
            ))}
          </select>
        </div>
      </main>
    </div>
  );
}
