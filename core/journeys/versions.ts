import type { Journey } from './schema';

/** `journey_versions/{journeyId}@{version}`: what one publication made live, never changed after. */
export interface JourneyVersionDoc {
  _id: string;
  journeyId: string;
  version: number;
  journey: Journey;
  publishedAt: Date;
  publishedBy: string;
}

export type JourneyStatus = 'draft' | 'live' | 'archived';

/** Fields of a `journeys` document that are about authoring, not the journey the engine runs. */
export const AUTHORING_FIELDS = ['status', 'draft', 'updatedAt', 'updatedBy', 'publishedAt', 'archivedAt'] as const;

export const versionKey = (journeyId: string, version: number): string => `${journeyId}@${version}`;

/**
 * What publishing writes: the journey as the next version (the live `journeys` document,
 * authoring fields cleared) and the immutable version document. The seeds are published the same way.
 */
export function publication(
  journey: Journey,
  previous: number,
  at: Date,
  by: string,
): { live: Journey; doc: Record<string, unknown>; version: JourneyVersionDoc } {
  const version = previous + 1;
  const live: Journey = { ...journey, enabled: true, version };
  const doc = { ...live, status: 'live', draft: null, publishedAt: at, updatedAt: at, updatedBy: by };
  return {
    live,
    doc,
    version: {
      _id: versionKey(journey.id, version),
      journeyId: journey.id,
      version,
      journey: live,
      publishedAt: at,
      publishedBy: by,
    },
  };
}
