/**
 * Several partnerships in one deployment (issue 20, item 4): every table carries the partnership
 * key, so every row belongs to one partnership, queries can be scoped by it and the schema could be
 * distributed by it (docs/deployment.md), except the few instance-wide tables below, each with why.
 * A new table without the key fails here until it has it or is listed with its reason.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { getTableConfig, PgTable } from 'drizzle-orm/pg-core'
import { schema } from './index.ts'

const WITHOUT_THE_KEY: Record<string, string> = {
  partnership: 'the partnerships themselves: its id is the key',
  session: "a signed-in session, keyed by its id; it belongs to its user, whose row carries the partnership, and is read with that user's row",
  audit_chain_head: 'the head of the one hash chain of the whole audit log (each audit entry carries its partnership)',
  instance_setting: 'settings of the deployment (the session secret, the audit key id); a partnership’s own setting names the partnership in its key',
}

/** Tables with the key whose rows may belong to no partnership, each with why. */
const KEY_MAY_BE_EMPTY: Record<string, string> = {
  audit_event: 'sign-in attempts refused before anyone is known (an unknown address, a limited network address) belong to no partnership',
}

const tables = (Object.values(schema) as unknown[]).filter((t): t is PgTable => t instanceof PgTable).map((t) => getTableConfig(t))

test('every table has a partnership_id column, not null, except the instance-wide ones listed with why', () => {
  assert.ok(tables.length > 50, `only ${tables.length} tables found`)
  const without = tables.filter((t) => !t.columns.some((c) => c.name === 'partnership_id')).map((t) => t.name)
  assert.deepEqual(without.sort(), Object.keys(WITHOUT_THE_KEY).sort())
  const nullable = tables.flatMap((t) => t.columns.filter((c) => c.name === 'partnership_id' && !c.notNull).map(() => t.name))
  assert.deepEqual(nullable.sort(), Object.keys(KEY_MAY_BE_EMPTY).sort(), 'tables whose rows may belong to no partnership')
})
