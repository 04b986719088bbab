/** Splitting an email body into what the customer wrote and the quoted history below or between it. Pure. */

export interface BodySegment {
  kind: "text" | "quote";
  text: string;
}

const QUOTED = /^\s*>/;
const HEADERS: RegExp[] = [
  /^\s*On\b.{0,300}\bwrote:\s*$/i, // On Tue, 3 Dec 2026 at 10:00, Ann <ann@example.com> wrote:
  /^\s*在.{0,300}写道\s*[:：]\s*$/, // 在 2026年12月3日 10:00，Ann <ann@example.com> 写道：
  /^\s*-{2,}\s*(Original Message|Forwarded message|原始邮件|转发邮件)\s*-{2,}\s*$/i,
  /^\s*_{10,}\s*$/, // Outlook's rule above the quoted header block
];

function isHeader(lines: string[], i: number): number {
  const line = lines[i] ?? "";
  if (HEADERS.some((re) => re.test(line))) return 1;
  // "On …" wrapped onto two lines by the mailer: the second ends with "wrote:".
  const next = lines[i + 1];
  if (next !== undefined && /^\s*On\b/i.test(line) && /\bwrote:\s*$/i.test(next) && line.length + next.length < 300)
    return 2;
  return 0;
}

function nextNonBlank(lines: string[], from: number): number {
  let j = from;
  while (j < lines.length && (lines[j] ?? "").trim() === "") j += 1;
  return j;
}

/** The end (exclusive) of the run of ">" lines that starts at `start` (a ">" line); blank lines inside it belong. */
function quotedRunEnd(lines: string[], start: number): number {
  let end = start + 1;
  while (end < lines.length) {
    const j = nextNonBlank(lines, end);
    if (j < lines.length && QUOTED.test(lines[j] ?? "")) end = j + 1;
    else break;
  }
  return end;
}

/**
 * Segments of the body in order: quoted blocks are runs of "> " lines (with the "On … wrote:" header that
 * introduces them), or everything from a header on when the mailer quotes without ">" (Outlook style).
 */
export function splitQuoted(body: string): BodySegment[] {
  const lines = body.replace(/\r\n?/g, "\n").split("\n");
  const segments: BodySegment[] = [];
  let text: string[] = [];
  const flushText = () => {
    const joined = text.join("\n").replace(/^\n+|\s+$/g, "");
    if (joined) segments.push({ kind: "text", text: joined });
    text = [];
  };
  const pushQuote = (quoted: string[]) => {
    const joined = quoted.join("\n").replace(/\s+$/g, "");
    if (!joined) return;
    const last = segments[segments.length - 1];
    if (last && last.kind === "quote" && text.length === 0) last.text += `\n${joined}`;
    else {
      flushText();
      segments.push({ kind: "quote", text: joined });
    }
  };
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] ?? "";
    const header = isHeader(lines, i);
    if (header > 0) {
      const after = nextNonBlank(lines, i + header);
      if (after < lines.length && QUOTED.test(lines[after] ?? "")) {
        // header + the ">" block after it
        const end = quotedRunEnd(lines, after);
        pushQuote(lines.slice(i, end));
        i = end;
        continue;
      }
      // no ">" after the header: the rest of the mail is the quoted history
      pushQuote(lines.slice(i));
      i = lines.length;
      continue;
    }
    if (QUOTED.test(line)) {
      const end = quotedRunEnd(lines, i);
      pushQuote(lines.slice(i, end));
      i = end;
      continue;
    }
    text.push(line);
    i += 1;
  }
  flushText();
  return segments;
}
