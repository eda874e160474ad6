import type { z } from 'zod';
import type { me } from '../../core/contracts/admin';
import type { ActionContext } from '../kit/context';
import { permissionsOf } from '../staff/permissions';
import { findStaff } from '../staff/require';

/** The caller's staff role and permissions, or null: whether "Me" shows the staff entry. */
export async function staffMe(ctx: ActionContext): Promise<z.input<typeof me.output>> {
  const s = await findStaff(ctx.db, ctx.openid);
  if (!s) return { staff: null };
  return {
    staff: {
      staffId: s._id,
      name: s.name ?? null,
      role: s.role,
      storeIds: s.storeIds ?? [],
      permissions: permissionsOf(s.role),
    },
  };
}
