import { decodeScene, parseScene, sceneFromQuery, type SceneFields } from '../../core/identity/scene';
import type { ActionContext } from '../kit/context';
import { readDoc } from '../db/documents';
import type { TouchDoc } from './documents';

export interface VisitInput {
  scene?: string;
  query?: Record<string, string>;
}

interface QrcodeDoc extends SceneFields {
  _id: string;
}

/**
 * The touch a login records, or null. A malformed scene, an unknown store or code is logged and
 * ignored: it never fails a login. An unknown advisor is dropped, the store kept.
 */
export async function resolveTouch(ctx: ActionContext, input: VisitInput, now: Date): Promise<TouchDoc | null> {
  const rawScene = input.scene ?? (input.query?.scene !== undefined ? decodeScene(input.query.scene) : undefined);
  let fields: SceneFields | null;
  let via: TouchDoc['via'] = 'code';
  if (rawScene !== undefined && rawScene !== null) {
    const parsed = parseScene(rawScene);
    if (!parsed) {
      ctx.log.warn('scene ignored: malformed', { scene: rawScene.slice(0, 64) });
      return null;
    }
    if (parsed.kind === 'ref') {
      const qr = await readDoc<QrcodeDoc>(ctx.db, 'qrcodes', parsed.qrcodeId);
      if (!qr) {
        ctx.log.warn('scene ignored: unknown code', { qrcodeId: parsed.qrcodeId });
        return null;
      }
      return { storeId: qr.storeId, advisorId: qr.advisorId, campaign: qr.campaign, via, at: now };
    }
    fields = parsed;
  } else if (rawScene === null) {
    ctx.log.warn('scene ignored: bad escape');
    return null;
  } else if (input.query) {
    fields = sceneFromQuery(input.query);
    via = 'share';
    if (!fields) return null;
  } else return null;

  const [store, advisor] = await Promise.all([
    readDoc<{ _id: string }>(ctx.db, 'stores', fields.storeId),
    fields.advisorId ? readDoc<{ _id: string }>(ctx.db, 'staff', fields.advisorId) : Promise.resolve(null),
  ]);
  if (!store) {
    ctx.log.warn('scene ignored: unknown store', { storeId: fields.storeId });
    return null;
  }
  if (fields.advisorId && !advisor) ctx.log.warn('advisor ignored: unknown', { advisorId: fields.advisorId });
  return {
    storeId: fields.storeId,
    advisorId: advisor ? fields.advisorId : null,
    campaign: fields.campaign,
    via,
    at: now,
  };
}
