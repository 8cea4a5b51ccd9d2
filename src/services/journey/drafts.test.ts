import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import type { TestDatabase } from '../../../test/support/database.ts'
import { openTestWorld, World } from '../../../test/support/fixtures.ts'
import { loadActor } from '../access/accounts.ts'
import { ValidationFailed } from '../common/context.ts'
import { MAX_DRAFT_BYTES } from './drafts-input.ts'
import { discardDraft, loadDraft, saveDraft } from './drafts.ts'

let database: TestDatabase
let world: World
before(async () => ({ database, world } = await openTestWorld()))
after(() => database.close())

const key = (caseId = '0b7f6c4e-4c7a-4d8e-9a55-3f1f2f6d9a10') => `note:${caseId}`

describe('drafts', () => {
  test('a draft survives the session: after signing in again the same user loads it', async () => {
    const worker = await world.user(['social-worker'])
    const typing = world.ctx(worker, new Date('2026-11-20T10:41:00Z'))
    await saveDraft(typing, key(), { title: 'Home visit', body: 'Half written' })
    const saved = await saveDraft(world.ctx(worker, new Date('2026-11-20T10:42:00Z')), key(), { title: 'Home visit', body: 'Half written, more' })
    assert.equal(saved.savedAt.toISOString(), '2026-11-20T10:42:00.000Z')

    // A new context, as after the session timed out and the user signed in again.
    const actorAgain = await loadActor(database.db, worker.userId)
    const afterSignIn = { db: database.db, actor: actorAgain!, requestId: 'after-sign-in', now: () => new Date('2026-11-20T11:30:00Z') }
    const restored = await loadDraft(afterSignIn, key())
    assert.deepEqual(restored?.data, { title: 'Home visit', body: 'Half written, more' })
    assert.equal(restored?.savedAt.toISOString(), '2026-11-20T10:42:00.000Z')
  })

  test('nobody else can read, replace or discard a user’s draft', async () => {
    const owner = await world.user(['social-worker'])
    const other = await world.user(['social-worker'])
    await saveDraft(world.ctx(owner), key(), { body: 'mine' })
    assert.equal(await loadDraft(world.ctx(other), key()), null)
    await saveDraft(world.ctx(other), key(), { body: 'theirs' })
    await discardDraft(world.ctx(other), key())
    assert.deepEqual((await loadDraft(world.ctx(owner), key()))?.data, { body: 'mine' })
  })

  test('discarding removes the draft; discarding nothing is harmless', async () => {
    const worker = await world.user(['social-worker'])
    await saveDraft(world.ctx(worker), key(), { body: 'x' })
    await discardDraft(world.ctx(worker), key())
    assert.equal(await loadDraft(world.ctx(worker), key()), null)
    await discardDraft(world.ctx(worker), key())
  })

  test('keys are form names with ids; drafts larger than 100 kB are refused', async () => {
    const worker = await world.user(['social-worker'])
    await assert.rejects(saveDraft(world.ctx(worker), 'note/../../x', { a: 1 }), ValidationFailed)
    await assert.rejects(saveDraft(world.ctx(worker), key(), { body: 'x'.repeat(MAX_DRAFT_BYTES) }), (err) => {
      assert.ok(err instanceof ValidationFailed)
      assert.match(err.fieldErrors.data!, /100 kB or smaller/)
      return true
    })
    const edit = await saveDraft(world.ctx(worker), `${key()}:9d4d1f8e-2a8b-4b69-8d55-0d6c5b1a2f33`, { body: 'edit' })
    assert.equal(edit.key.split(':').length, 3)
  })
})
