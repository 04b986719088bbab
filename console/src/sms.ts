/** SMS segment counting: GSM 03.38 (7-bit) when every character fits, otherwise UCS-2. Pure. */

// The GSM 03.38 default alphabet (ESC itself excluded) and its extension table (each costs an escape + the char).
const GSM_BASIC =
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
  "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
const GSM_EXTENDED = "\f^{}\\[~]|€";

const BASIC = new Set(GSM_BASIC);
const EXTENDED = new Set(GSM_EXTENDED);

export type SmsEncoding = "GSM-7" | "UCS-2";

export interface SmsCount {
  encoding: SmsEncoding;
  /** septets (GSM-7) or UTF-16 code units (UCS-2) */
  units: number;
  segments: number;
  /** units that fit one segment of this message: 160/153 (GSM-7), 70/67 (UCS-2) */
  perSegment: number;
  /** units still free in the last segment */
  remaining: number;
  /** the characters that forced UCS-2 (at most a few, for a hint) */
  nonGsm: string[];
}

export function isGsm7(text: string): boolean {
  for (const ch of text) if (!BASIC.has(ch) && !EXTENDED.has(ch)) return false;
  return true;
}

/** How many SMS segments `text` takes. A segment never splits an escape sequence or a surrogate pair. */
export function countSms(text: string): SmsCount {
  const nonGsm: string[] = [];
  for (const ch of text) {
    if (!BASIC.has(ch) && !EXTENDED.has(ch) && !nonGsm.includes(ch)) {
      nonGsm.push(ch);
      if (nonGsm.length >= 5) break;
    }
  }
  if (nonGsm.length === 0) {
    const sizes = [...text].map((ch) => (EXTENDED.has(ch) ? 2 : 1));
    return segment("GSM-7", sizes, 160, 153, []);
  }
  // UCS-2 as carriers count it: UTF-16 code units; a character outside the BMP is 2 units kept together.
  const sizes = [...text].map((ch) => ch.length);
  return segment("UCS-2", sizes, 70, 67, nonGsm);
}

function segment(encoding: SmsEncoding, sizes: number[], single: number, multi: number, nonGsm: string[]): SmsCount {
  const units = sizes.reduce((a, b) => a + b, 0);
  if (units === 0) return { encoding, units, segments: 0, perSegment: single, remaining: single, nonGsm };
  if (units <= single) return { encoding, units, segments: 1, perSegment: single, remaining: single - units, nonGsm };
  let segments = 1;
  let used = 0;
  for (const size of sizes) {
    if (used + size > multi) {
      segments += 1;
      used = 0;
    }
    used += size;
  }
  return { encoding, units, segments, perSegment: multi, remaining: multi - used, nonGsm };
}
