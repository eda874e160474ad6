/** Something that happened to a member, as the server records it in its events collection. */
export interface JourneyEvent {
  /** Unique id of the event: the run id is derived from it, so one event enters a journey once. */
  id: string;
  type: string;
  memberId: string;
  at: Date;
  /** What the event is about (an order id, a survey id, a segment id...). */
  subjectId?: string;
  data?: Record<string, unknown>;
}

/** What the server knows about the member when it advances a run. */
export interface JourneyFacts {
  language?: 'zh' | 'en' | null;
  lastActiveAt?: Date | null;
  /** Ids of the saved segments the member is in now. */
  segmentIds?: readonly string[];
  attributes?: Readonly<Record<string, unknown>>;
  /** Tag ids the member holds now. */
  tags?: readonly string[];
  stage?: string | null;
  tier?: string | null;
  /** Template keys (as journeys name them) the member holds an unused consent for. */
  consents?: readonly string[];
}

export interface StepRecord {
  stepId: string;
  /** The journey's own time for the step: a wait's due time, not the moment the timer happened to run. */
  at: Date;
  ranAt: Date;
  outcome: 'waited' | 'then' | 'else' | 'event' | 'timeout' | 'effect' | 'exit' | 'goal';
  effectKey?: string;
  note?: string;
}

export interface JourneyRun {
  runId: string;
  journeyId: string;
  /** The published version the run started on: it finishes on that version whatever is published later. */
  version?: number;
  memberId: string;
  trigger: JourneyEvent;
  enteredAt: Date;
  status: 'active' | 'completed' | 'exited';
  /** The step to run next; null once ended. */
  cursor: string | null;
  /** When the run reached `cursor` (journey time). */
  arrivedAt: Date;
  /** When a timer should call advanceRun; null once ended. */
  nextDueAt: Date | null;
  /** How often each action step ran: a step reached again in a loop gets a new effect key. */
  visits: Record<string, number>;
  history: StepRecord[];
  /** Events seen after entry that branch conditions may ask about. */
  evidence: JourneyEvent[];
  endedAt: Date | null;
  exitReason: string | null;
}

interface EffectBase {
  /** `${runId}:${stepId}` (or `…:${visit}` from the second visit on): the outbox applies each key at most once. */
  key: string;
  runId: string;
  journeyId: string;
  memberId: string;
  stepId: string;
  at: Date;
  /** The run's trigger subject (the order of an unpaid reminder...). */
  subjectId?: string;
}

export type Effect = EffectBase &
  (
    | {
        kind: 'send';
        channel: 'subscribe' | 'oa_template' | 'oa_custom' | 'email';
        template: string;
        purpose: 'marketing' | 'transactional';
        data: Record<string, string | number | boolean>;
      }
    | { kind: 'tag'; op: 'add' | 'remove'; tag: string }
    | { kind: 'grantCoupon'; templateId: string }
    | { kind: 'points'; amount: number }
    | {
        kind: 'webhook';
        url: string;
        payload: {
          journeyId: string;
          runId: string;
          stepId: string;
          memberId: string;
          triggerType: string;
          subjectId?: string;
        };
      }
  );
