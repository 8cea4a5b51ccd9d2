/**
 * Issue 18 §4: after a record is erased by two people, `together audit verify` still passes, with
 * the audit key (every entry of the erasure signed). The service tests verify the chain on both
 * engines in process; this runs the command itself, on a throwaway embedded database (in the pass
 * without DATABASE_URL, as the other CLI tests' embedded runs).
 */
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { eq } from 'drizzle-orm'
import { openDatabase } from '../../src/db/connection.ts'
import { runMigrations } from '../../src/db/migrate.ts'
import { childCase, cinEpisode, person } from '../../src/db/schema/index.ts'
import { auditKeyring } from '../../src/domain/access/audit-chain.ts'
import { useAuditKeys } from '../../src/services/access/audit.ts'
import { erasureDecisionInput } from '../../src/services/records/retention-input.ts'
import { decideErasure, erasureOf, proposeErasure } from '../../src/services/records/retention.ts'
import { World } from '../support/fixtures.ts'

const bin = join(import.meta.dirname, '../../bin/together.js')
const KEY = 'c'.repeat(16) + '0123456789abcdef'.repeat(3)

test('audit verify passes after an erasure', { skip: process.env.DATABASE_URL ? 'the embedded run is in the pass without DATABASE_URL' : false }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'together-erasure-'))
  try {
    const database = await openDatabase({ kind: 'pglite', dataDir: dir })
    useAuditKeys(auditKeyring([KEY]))
    try {
      await runMigrations(database)
      const world = await World.create(database.db)
      const worker = await world.user(['social-worker'])
      const { caseId, personId } = await world.childCase({ worker: worker.userId })
      await database.db.insert(cinEpisode).values({ partnershipId: world.partnershipId, caseId, referralDate: '2018-06-01', referralSource: '2A', closureDate: '2019-01-31', recordedBy: worker.userId })
      await database.db.update(childCase).set({ status: 'closed', closedOn: '2019-01-31' }).where(eq(childCase.id, caseId))
      await database.db.update(person).set({ dateOfBirth: '2000-02-03' }).where(eq(person.id, personId))
      const admin = await world.user(['administrator'])
      const dpo = await world.user(['auditor'])
      const id = await proposeErasure(world.ctx(admin), { recordType: 'case', recordId: caseId })
      await decideErasure(world.ctx(dpo), id, erasureDecisionInput.parse({ decision: 'approve', version: 1 }))
      assert.equal((await erasureOf(world.ctx(dpo), id)).status, 'erased')
    } finally {
      useAuditKeys(null)
      await database.close()
    }
    const { DATABASE_URL: _u, TOGETHER_AUDIT_KEY: _k, TOGETHER_AUDIT_KEY_FILE: _f, ...base } = process.env
    const verified = spawnSync(process.execPath, [bin, 'audit', 'verify'], { env: { ...base, LOG_LEVEL: 'silent', TOGETHER_DATA_DIR: dir, TOGETHER_AUDIT_KEY: KEY }, encoding: 'utf8', timeout: 60_000 })
    assert.equal(verified.status, 0, `${verified.stdout}\n${verified.stderr}`)
    assert.match(verified.stdout, /ok|verified|intact/i)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
