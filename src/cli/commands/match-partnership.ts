import { eq, sql } from 'drizzle-orm'
import type { Db } from '../../db/connection.ts'
import { partnership } from '../../db/schema/index.ts'
import { UsageError } from '../errors.ts'

/** The partnership a person-index command works in: the only one, or the one named by --partnership (id or name). */
export async function choosePartnership(db: Db, named?: string): Promise<{ id: string; name: string }> {
  if (named) {
    const byId = /^[0-9a-f-]{36}$/i.test(named)
    const [found] = await db
      .select({ id: partnership.id, name: partnership.name })
      .from(partnership)
      .where(byId ? eq(partnership.id, named) : sql`lower(${partnership.name}) = lower(${named})`)
    if (!found) throw new UsageError(`No partnership ${named}`)
    return found
  }
  const all = await db.select({ id: partnership.id, name: partnership.name }).from(partnership).limit(2)
  if (all.length === 0) throw new UsageError('There is no partnership yet: load one first (together seed --demo)')
  if (all.length > 1) throw new UsageError('There are several partnerships: say which with --partnership <id or name>')
  return all[0]!
}
