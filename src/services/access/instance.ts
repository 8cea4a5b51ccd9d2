import { randomBytes } from 'node:crypto'
import { eq } from 'drizzle-orm'
import type { Db } from '../../db/connection.ts'
import { instanceSetting, partnership } from '../../db/schema/index.ts'

/**
 * The session-signing secret: the configured one, or one generated on first start and kept in
 * the database so that sessions survive a restart.
 */
export async function sessionSecret(db: Db, configured: string | undefined): Promise<string> {
  if (configured) return configured
  const key = 'session-secret'
  await db
    .insert(instanceSetting)
    .values({ key, value: randomBytes(32).toString('base64url') })
    .onConflictDoNothing()
  const [row] = await db.select().from(instanceSetting).where(eq(instanceSetting.key, key))
  return row!.value
}

/** True when this installation holds the fictional demo partnership. */
export async function hasDemoPartnership(db: Db): Promise<boolean> {
  const rows = await db.select({ id: partnership.id }).from(partnership).where(eq(partnership.isDemo, true)).limit(1)
  return rows.length > 0
}
