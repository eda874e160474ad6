export const CHANNELS = ['subscribe', 'oa_template', 'oa_custom', 'email'] as const;
export type Channel = (typeof CHANNELS)[number];

/** A member's messaging preferences, with the brand's defaults already filled in by the server. */
export interface MessagingPrefs {
  /** PIPL: the member refused all marketing. */
  marketingOptOut: boolean;
  /** Marketing opt-out per channel. */
  channelOptOut: readonly Channel[];
  /** Marketing messages per brand-local day / ISO week (Monday start); null = no cap. */
  capPerDay: number | null;
  capPerWeek: number | null;
  /** Brand-local HH:mm; a window that crosses midnight (22:00–08:00) is allowed. null = none. */
  quietHours: { start: string; end: string } | null;
  language: 'zh' | 'en';
}

export const DEFAULT_MESSAGING_PREFS: MessagingPrefs = {
  marketingOptOut: false,
  channelOptOut: [],
  capPerDay: 2,
  capPerWeek: 5,
  quietHours: { start: '22:00', end: '08:00' },
  language: 'zh',
};
