/** Small inline SVG icons (decorative: every icon sits next to a text label). */

import type { ComponentChildren } from "preact";
import type { Channel } from "../api-types.ts";

function Svg({ children, cls = "icon" }: { children: ComponentChildren; cls?: string }) {
  return (
    <svg class={cls} viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">
      {children}
    </svg>
  );
}

const stroke = { fill: "none", stroke: "currentColor", "stroke-width": "1.5", "stroke-linecap": "round", "stroke-linejoin": "round" } as const;

export const IconEmail = () => (
  <Svg>
    <rect x="1.75" y="3.25" width="12.5" height="9.5" rx="1.5" {...stroke} />
    <path d="M2.5 4.5 8 8.75l5.5-4.25" {...stroke} />
  </Svg>
);
export const IconSms = () => (
  <Svg>
    <rect x="4" y="1.5" width="8" height="13" rx="1.5" {...stroke} />
    <path d="M7 12.25h2" {...stroke} />
  </Svg>
);
export const IconChat = () => (
  <Svg>
    <path d="M2 3.5A1.5 1.5 0 0 1 3.5 2h9A1.5 1.5 0 0 1 14 3.5v6a1.5 1.5 0 0 1-1.5 1.5H7l-3.25 3V11H3.5A1.5 1.5 0 0 1 2 9.5z" {...stroke} />
  </Svg>
);
export const IconWechat = () => (
  <Svg>
    <ellipse cx="6.25" cy="6.25" rx="4.75" ry="4" {...stroke} />
    <path d="M9.6 9.1c.5 1.9 2.6 3.1 4.65 2.5L15 13l-.2-1.7" {...stroke} />
    <circle cx="4.6" cy="5.6" r=".7" fill="currentColor" />
    <circle cx="7.9" cy="5.6" r=".7" fill="currentColor" />
  </Svg>
);

export const IconPhone = () => (
  <Svg>
    <path d="M5.2 2H3.5A1.5 1.5 0 0 0 2 3.6C2.3 9.3 6.7 13.7 12.4 14a1.5 1.5 0 0 0 1.6-1.5v-1.7l-3-1.3-1.4 1.5a8 8 0 0 1-4.6-4.6L6.5 5z" {...stroke} />
  </Svg>
);

export function ChannelIcon({ channel }: { channel: Channel | string }) {
  switch (channel) {
    case "email":
      return <IconEmail />;
    case "sms":
      return <IconSms />;
    case "chat":
      return <IconChat />;
    case "phone":
      return <IconPhone />;
    default:
      return <IconWechat />;
  }
}

export const IconStar = () => (
  <Svg>
    <path d="m8 1.75 1.9 3.95 4.35.6-3.15 3.05.75 4.3L8 11.6l-3.85 2.05.75-4.3L1.75 6.3l4.35-.6z" {...stroke} />
  </Svg>
);
export const IconKey = () => (
  <Svg>
    <circle cx="5" cy="11" r="3" {...stroke} />
    <path d="m7.2 8.8 6.3-6.3M11.5 4.5l1.75 1.75M9.75 6.25l1.25 1.25" {...stroke} />
  </Svg>
);
export const IconUser = () => (
  <Svg>
    <circle cx="8" cy="5.25" r="2.75" {...stroke} />
    <path d="M2.75 14c.6-2.75 2.7-4.25 5.25-4.25S12.65 11.25 13.25 14" {...stroke} />
  </Svg>
);
export const IconClock = () => (
  <Svg>
    <circle cx="8" cy="8" r="6.25" {...stroke} />
    <path d="M8 4.5V8l2.5 1.5" {...stroke} />
  </Svg>
);
export const IconAlert = () => (
  <Svg>
    <path d="M8 1.75 15 14H1z" {...stroke} />
    <path d="M8 6v3.5M8 11.6v.15" {...stroke} />
  </Svg>
);
export const IconPause = () => (
  <Svg>
    <path d="M5.5 3v10M10.5 3v10" {...stroke} />
  </Svg>
);
export const IconCheck = () => (
  <Svg>
    <path d="m2.75 8.5 3.25 3.25 7.25-7.5" {...stroke} />
  </Svg>
);
export const IconLock = () => (
  <Svg>
    <rect x="3" y="7" width="10" height="7.25" rx="1.25" {...stroke} />
    <path d="M5.25 7V5a2.75 2.75 0 0 1 5.5 0v2" {...stroke} />
  </Svg>
);
export const IconClip = () => (
  <Svg>
    <path d="M13.25 7.5 8 12.75a3.2 3.2 0 0 1-4.5-4.5L9 2.75a2.1 2.1 0 0 1 3 3L6.6 11.1a1 1 0 0 1-1.45-1.45L10 4.75" {...stroke} />
  </Svg>
);
export const IconInbound = () => (
  <Svg>
    <path d="M13.5 2.5 3 13M3 6.5V13h6.5" {...stroke} />
  </Svg>
);
export const IconOutbound = () => (
  <Svg>
    <path d="M2.5 13.5 13 3M6.5 3H13v6.5" {...stroke} />
  </Svg>
);
export const IconSearch = () => (
  <Svg>
    <circle cx="7" cy="7" r="4.75" {...stroke} />
    <path d="m10.5 10.5 3.75 3.75" {...stroke} />
  </Svg>
);
export const IconDown = () => (
  <Svg>
    <path d="M8 2.5v8.5M4.5 7.75 8 11.25l3.5-3.5M3 14h10" {...stroke} />
  </Svg>
);
export const IconLogo = () => (
  <svg class="logo" viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" focusable="false">
    <rect x="1" y="1" width="22" height="22" rx="6" fill="#2563eb" />
    <circle cx="12" cy="12" r="5.5" fill="none" stroke="#fff" stroke-width="2.5" />
    <circle cx="12" cy="12" r="1.6" fill="#fff" />
  </svg>
);
