import { and, asc, eq, sql } from 'drizzle-orm'
import type { Db } from '../../db/connection.ts'
import { appUser } from '../../db/schema/index.ts'
import { loadActor } from '../../services/access/accounts.ts'
import type { Actor } from '../../services/common/context.ts'
import { UsageError } from '../errors.ts'

/** The user a command-line import acts as: the one named by email, or the partnership's first active administrator. */
export async function importingActor(db: Db, partnershipId: string, email?: string): Promise<Actor> {
  const [user] = await db
    .select({ id: appUser.id })
    .from(appUser)
    .where(
      and(
        eq(appUser.partnershipId, partnershipId),
        eq(appUser.active, true),
        email ? sql`lower(${appUser.email}) = lower(${email})` : sql`'administrator' = any(${appUser.roles})`,
      ),
    )
    .orderBy(asc(appUser.createdAt))
    .limit(1)
  if (!user) throw new UsageError(email ? `No active user ${email} in that partnership` : 'The partnership has no active administrator: name a user with --user')
  const actor = await loadActor(db, user.id)
  if (!actor) throw new UsageError('That user cannot act')
  return actor
}
