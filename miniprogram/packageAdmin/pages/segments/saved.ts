import type { SegmentRule } from '../../../../core/segments/rule';

/**
 * Segments and campaigns made on this device. The messaging function has no list actions yet, so
 * the page remembers what it saved and sent to offer them again (newest first, a few only).
 */
export interface SavedSegment { id: string; name: string; count: number; rule: SegmentRule }
export interface SentCampaign { campaignId: string; name: string; segmentName: string; audience: number; sentAt: string }

const SEGMENTS_KEY = 'admin.segments';
const CAMPAIGNS_KEY = 'admin.campaigns';
const KEEP = 20;

function read<T>(key: string): T[] {
  const v: unknown = wx.getStorageSync(key);
  return Array.isArray(v) ? (v as T[]) : [];
}

function remember<T>(key: string, item: T, same: (a: T) => boolean): T[] {
  const next = [item, ...read<T>(key).filter((x) => !same(x))].slice(0, KEEP);
  wx.setStorageSync(key, next);
  return next;
}

export const savedSegments = (): SavedSegment[] => read<SavedSegment>(SEGMENTS_KEY);
export const rememberSegment = (s: SavedSegment): SavedSegment[] => remember(SEGMENTS_KEY, s, (x) => x.id === s.id);
export const sentCampaigns = (): SentCampaign[] => read<SentCampaign>(CAMPAIGNS_KEY);
export const rememberCampaign = (c: SentCampaign): SentCampaign[] => remember(CAMPAIGNS_KEY, c, (x) => x.campaignId === c.campaignId);

/** Ids the server accepts (`a-z 0-9 -`): a prefix, the time and a little randomness. */
export const newId = (prefix: 'seg' | 'cmp'): string => `${prefix}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
