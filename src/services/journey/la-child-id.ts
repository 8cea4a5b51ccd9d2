/**
 * The LA child ID a child is given when they first get an episode (issue 17): the next number of
 * the partnership's format (a local rule: the local timescales page, the local-rules API or
 * `together returns la-child-id-format`; default C#######), unique in the partnership. A child
 * who already has one (given, typed or imported from a census file) keeps it.
 */
import { and, eq, isNull, sql } from 'drizzle-orm'
import { queryRows, type Db } from '../../db/connection.ts'
import { partnership, person, personChange } from '../../db/schema/index.ts'
import { mergeLocalRules } from '../../domain/timescales/index.ts'
import type { ServiceContext } from '../common/context.ts'
import { formatLaChildId, laChildIdFormatProblem, laChildIdPattern } from '../../domain/journey/la-child-id.ts'

/** The partnership's format (a local rule; the default until one is set). */
export async function laChildIdFormatOf(db: Db, partnershipId: string): Promise<string> {
  const [row] = await db.select({ localRules: partnership.localRules }).from(partnership).where(eq(partnership.id, partnershipId))
  return mergeLocalRules(row?.localRules ?? {}).laChildIdFormat
}

/**
 * Records the partnership's format from the command line (callers check it with
 * laChildIdFormatProblem): the same local rule the administrator's page and the API change, kept
 * beside the partnership's other rules, with its version moved on so that a page open at the time
 * cannot write over it.
 */
export async function setLaChildIdFormat(db: Db, partnershipId: string, format: string): Promise<void> {
  const problem = laChildIdFormatProblem(format)
  if (problem) throw new Error(problem)
  await db
    .update(partnership)
    .set({
      localRules: sql`${partnership.localRules} || ${JSON.stringify({ laChildIdFormat: format })}::jsonb`,
      version: sql`${partnership.version} + 1`,
    })
    .where(eq(partnership.id, partnershipId))
}

/**
 * Gives the person the format's next LA child ID if they have none; returns the ID they have.
 * The number follows the highest of the format already held in the partnership; the unique index
 * on (partnership, LA child ID) refuses a duplicate from a concurrent episode, whose transaction
 * then fails rather than share the ID.
 */
export async function giveLaChildId(ctx: ServiceContext, tx: Db, personId: string): Promise<string> {
  const partnershipId = ctx.actor.partnershipId
  const [held] = await tx.select({ laChildId: person.laChildId }).from(person).where(eq(person.id, personId))
  if (held?.laChildId) return held.laChildId
  const format = await laChildIdFormatOf(tx, partnershipId)
  const pattern = laChildIdPattern(format)
  const [top] = await queryRows<{ n: string | null }>(
    tx,
    sql`select max(substring(la_child_id from ${pattern})::bigint)::text as n from ${person}
      where partnership_id = ${partnershipId} and la_child_id ~ ${pattern}`,
  )
  const id = formatLaChildId(format, Number(top?.n ?? 0) + 1)
  const [row] = await tx
    .update(person)
    .set({ laChildId: id, version: sql`${person.version} + 1`, updatedAt: ctx.now() })
    .where(and(eq(person.id, personId), isNull(person.laChildId)))
    .returning({ version: person.version })
  await tx.insert(personChange).values({
    partnershipId,
    personId,
    version: row!.version,
    field: 'laChildId',
    previousValue: null,
    newValue: id,
    reason: 'Given by Together when the child’s first episode opened',
    changedAt: ctx.now(),
    changedBy: ctx.actor.userId,
  })
  return id
}
