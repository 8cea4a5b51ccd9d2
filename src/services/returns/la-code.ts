/**
 * The local authority's three-digit DfE code, written in statutory return headers (CIN census
 * <LEA>, the daily feed's path): the partnership's own setting, else TOGETHER_LA_CODE.
 */
import { eq } from 'drizzle-orm'
import type { Db } from '../../db/connection.ts'
import { instanceSetting } from '../../db/schema/index.ts'

export const LA_CODE_PATTERN = /^\d{3}$/

const settingKey = (partnershipId: string) => `returns.la-code.${partnershipId}`

export async function laCodeOf(db: Db, partnershipId: string, env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  const [row] = await db.select({ value: instanceSetting.value }).from(instanceSetting).where(eq(instanceSetting.key, settingKey(partnershipId)))
  return row?.value ?? env.TOGETHER_LA_CODE
}

/** Records the partnership's LA code (three digits; callers check the pattern). */
export async function setLaCode(db: Db, partnershipId: string, code: string): Promise<void> {
  if (!LA_CODE_PATTERN.test(code)) throw new Error(`an LA code is three digits, not ${code}`)
  await db
    .insert(instanceSetting)
    .values({ key: settingKey(partnershipId), value: code })
    .onConflictDoUpdate({ target: instanceSetting.key, set: { value: code } })
}
