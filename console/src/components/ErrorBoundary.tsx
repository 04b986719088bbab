/** Around each screen: a render error shows a clear message with a way back, never a blank page. */

import { Component, type ComponentChildren } from "preact";
import { I18nContext, type I18n } from "../i18n/index.ts";

interface Props {
  children: ComponentChildren;
}

interface State {
  error: Error | null;
}

export class ErrorBoundary extends Component<Props, State> {
  static override contextType = I18nContext;
  override state: State = { error: null };

  static override getDerivedStateFromError(error: unknown): State {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override componentDidCatch(error: unknown): void {
    this.setState({ error: error instanceof Error ? error : new Error(String(error)) });
  }

  override render() {
    const { error } = this.state;
    if (!error) return this.props.children;
    const { t } = this.context as I18n;
    return (
      <div class="screen-error" role="alert">
        <h1>{t("error.title")}</h1>
        <p>{t("error.screen", { message: error.message })}</p>
        <p>
          <button type="button" class="btn" onClick={() => this.setState({ error: null })}>
            {t("app.retry")}
          </button>{" "}
          <a class="btn btn-ghost" href="#/inbox/mine">
            {t("app.back")}
          </a>
        </p>
      </div>
    );
  }
}
