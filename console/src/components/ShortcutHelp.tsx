/** The keyboard map (?), in a modal <dialog> (focus kept inside, Esc closes). */

import { useEffect, useRef } from "preact/hooks";
import { useI18n, type MessageKey } from "../i18n/index.ts";

export const KEYMAP: readonly { keys: string[]; what: MessageKey }[] = [
  { keys: ["j", "↓"], what: "keys.down" },
  { keys: ["k", "↑"], what: "keys.up" },
  { keys: ["Enter"], what: "keys.open" },
  { keys: ["r"], what: "keys.reply" },
  { keys: ["Ctrl+Enter", "⌘+Enter"], what: "keys.send" },
  { keys: ["n"], what: "keys.next" },
  { keys: ["c"], what: "keys.new" },
  { keys: ["Esc"], what: "keys.back" },
  { keys: ["/"], what: "keys.search" },
  { keys: ["?"], what: "keys.help" },
];

export function ShortcutHelp({ onClose }: { onClose: () => void }) {
  const { t } = useI18n();
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
    return () => d?.close();
  }, []);
  return (
    <dialog ref={ref} class="dialog" aria-labelledby="keys-title" onClose={onClose}>
      <h2 id="keys-title">{t("keys.title")}</h2>
      <table class="keymap">
        <tbody>
          {KEYMAP.map((k) => (
            <tr key={k.what}>
              <th scope="row">
                {k.keys.map((key, i) => (
                  <span key={key}>
                    {i > 0 ? " / " : ""}
                    <kbd>{key}</kbd>
                  </span>
                ))}
              </th>
              <td>{t(k.what)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p class="muted small">{t("keys.note")}</p>
      <p class="actions">
        <button type="button" class="btn" autoFocus onClick={() => ref.current?.close()}>
          {t("app.close")}
        </button>
      </p>
    </dialog>
  );
}
