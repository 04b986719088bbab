/** A callback case's reason in the customer's words: the survey score and comment, above the thread. */

import type { CallbackSurvey } from "../api-types.ts";
import { useI18n } from "../i18n/index.ts";
import { caseHref } from "../router.ts";

export function CallbackSurveyNote({ survey }: { survey: CallbackSurvey }) {
  const i18n = useI18n();
  const { t } = i18n;
  return (
    <section class="panel callback-survey" aria-labelledby="callback-survey-title">
      <h2 id="callback-survey-title" class="panel-title">
        {t("case.callbackSurvey")}
      </h2>
      <p class="muted small">
        <span class={`csat csat-${survey.score}`}>
          {t("case.callbackSurveyScore", { score: survey.score, time: i18n.dateTime(survey.answered_at) })}
        </span>{" "}
        · <a href={caseHref(survey.case_id)}>{survey.case_id}</a>
      </p>
      {/* The customer's words as text (Preact escapes them), line breaks kept by the style. */}
      <p class="callback-comment">{survey.comment || t("case.callbackSurveyNoComment")}</p>
    </section>
  );
}
