/**
 * Files a reply carries. Each picked file is offered to the API first (POST /cases/{id}/uploads checks it against
 * the case's channel: a 422 names the limit before any byte moves), then posted straight to the bucket with the
 * presigned POST; the reply names the finished uploads. A refused file stays in the list with the server's reason.
 */

import { useEffect, useRef, useState } from "preact/hooks";
import { api, isApiError, uploadFile } from "../api.ts";
import { errorText } from "../errors.ts";
import { useI18n } from "../i18n/index.ts";
import { announce } from "../live.ts";
import { IconClip } from "./Icons.tsx";

export interface PendingFile {
  key: number;
  name: string;
  size: number;
  state: "uploading" | "ready" | "refused";
  uploadId?: string;
  error?: string;
}

export interface ComposerFileState {
  files: PendingFile[];
  add: (picked: File[]) => void;
  remove: (key: number) => void;
  clear: () => void;
}

/** The files of the composer of one case (forgotten when the case changes). */
export function useComposerFiles(caseId: string): ComposerFileState {
  const i18n = useI18n();
  const [files, setFiles] = useState<PendingFile[]>([]);
  const nextKey = useRef(0);
  useEffect(() => setFiles([]), [caseId]);

  const patch = (key: number, change: Partial<PendingFile>) =>
    setFiles((all) => all.map((f) => (f.key === key ? { ...f, ...change } : f)));

  const upload = async (key: number, file: File) => {
    try {
      const content_type = file.type || "application/octet-stream";
      const slot = await api.offerUpload(caseId, { filename: file.name, content_type, size: file.size });
      await uploadFile(slot, file);
      patch(key, { state: "ready", uploadId: slot.upload_id });
    } catch (e) {
      // a 422 carries the channel's limit in the server's own words
      const message = isApiError(e) && e.status === 422 ? e.message : errorText(e, i18n);
      patch(key, { state: "refused", error: message });
      announce(i18n.t("composer.fileRefused", { message: `${file.name}: ${message}` }), true);
    }
  };

  const add = (picked: File[]) => {
    const added = picked.map((file) => ({ file, key: nextKey.current++ }));
    setFiles((all) => [...all, ...added.map(({ file, key }) => ({ key, name: file.name, size: file.size, state: "uploading" as const }))]);
    for (const { file, key } of added) void upload(key, file);
  };

  return {
    files,
    add,
    remove: (key) => setFiles((all) => all.filter((f) => f.key !== key)),
    clear: () => setFiles([]),
  };
}

export function AttachButton({ onPick, disabled }: { onPick: (files: File[]) => void; disabled: boolean }) {
  const { t } = useI18n();
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <input
        ref={input}
        type="file"
        multiple
        hidden
        data-testid="composer-file-input"
        onChange={(e) => {
          const picked = Array.from(e.currentTarget.files ?? []);
          e.currentTarget.value = ""; // the same file may be picked again after a removal
          if (picked.length > 0) onPick(picked);
        }}
      />
      <button type="button" class="btn btn-small" disabled={disabled} onClick={() => input.current?.click()}>
        <IconClip />
        {t("composer.attach")}
      </button>
    </>
  );
}

export function FileList({ files, onRemove }: { files: PendingFile[]; onRemove: (key: number) => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  if (files.length === 0) return null;
  return (
    <ul class="composer-files" aria-label={t("composer.files")}>
      {files.map((f) => (
        <li key={f.key} class={`composer-file composer-file-${f.state}`}>
          <IconClip />
          <span class="att-name">{f.name}</span>
          <span class="att-meta muted">{i18n.bytes(f.size)}</span>
          <span class="composer-file-state" role={f.state === "refused" ? "alert" : undefined}>
            {f.state === "uploading"
              ? t("composer.fileUploading")
              : f.state === "ready"
                ? t("composer.fileReady")
                : t("composer.fileRefused", { message: f.error ?? "" })}
          </span>
          <button
            type="button"
            class="btn btn-small btn-ghost"
            aria-label={t("composer.fileRemove", { name: f.name })}
            onClick={() => onRemove(f.key)}
          >
            ×
          </button>
        </li>
      ))}
    </ul>
  );
}
