/**
 * Missing episodes (issue 19 §5): the return home interview clock from the exact time the child
 * came back (72 elapsed hours), the offer completing it (late: the coded reason), episodes that
 * never overlap, the last 12 months' counts, and the case's policy on every read and change.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { eq } from 'drizzle-orm'
import type { TestDatabase } from '../../../test/support/database.ts'
import { openTestWorld, World } from '../../../test/support/fixtures.ts'
import { auditEvent, clock, task } from '../../db/schema/index.ts'
import { AccessDenied, EditConflict, ValidationFailed } from '../common/context.ts'
import { missingEpisodeReturn, missingEpisodeStart, returnInterview } from './missing-episodes-input.ts'
import { missingEpisodesOfCase, recordMissingEpisode, recordMissingReturn, recordReturnInterview } from './missing-episodes.ts'

let database: TestDatabase
let world: World
before(async () => ({ database, world } = await openTestWorld()))
after(() => database.close())

const NOW = new Date('2026-11-20T12:00:00Z')

async function allocatedCase() {
  const worker = await world.user(['social-worker'])
  const { caseId } = await world.childCase({ worker: worker.userId })
  return { worker, caseId, ctx: world.ctx(worker, NOW) }
}

const clocksOf = (subjectId: string) => database.db.select().from(clock).where(eq(clock.subjectId, subjectId))
const fieldErrors = (err: unknown) => (err as ValidationFailed).fieldErrors
const start = (v: Record<string, unknown>) => missingEpisodeStart.parse({ kind: 'missing', startedOn: '2026-11-01', startedTime: '21:00', ...v })

describe('the return home interview clock', () => {
  test('starts when the child comes back and is due 72 elapsed hours later, across the clocks going back', async () => {
    const { caseId, ctx } = await allocatedCase()
    const episode = await recordMissingEpisode(ctx, caseId, start({ startedOn: '2026-10-22', startedTime: '18:00' }))
    assert.deepEqual(await clocksOf(episode.id), [], 'no clock while the child is missing')
    await recordMissingReturn(ctx, caseId, episode.id, missingEpisodeReturn.parse({ version: 1, returnedOn: '2026-10-23', returnedTime: '22:15' }))
    const [k] = await clocksOf(episode.id)
    assert.deepEqual([k!.rule, k!.startOn, k!.dueOn], ['return-home-interview', '2026-10-23', '2026-10-26'])
    const [t] = await database.db.select().from(task).where(eq(task.clockId, k!.id))
    assert.deepEqual([t!.title, t!.assigneeUserId], ['Offer the child a return home interview', ctx.actor.userId])
    const page = await missingEpisodesOfCase(ctx, caseId)
    assert.equal(page.records[0]!.interviewDueAt!.toISOString(), '2026-10-26T21:15:00.000Z', '22:15 BST + 72 h is 21:15 GMT')
  })

  test('an offer in time completes it; a late one needs the coded reason, kept on the clock', async () => {
    const { caseId, ctx } = await allocatedCase()
    const onTime = await recordMissingEpisode(ctx, caseId, start({ startedOn: '2026-11-01', returnedOn: '2026-11-02', returnedTime: '09:00' }))
    await recordReturnInterview(ctx, caseId, onTime.id, returnInterview.parse({ version: 1, interviewOfferedOn: '2026-11-04', interviewAccepted: 'yes', interviewHeldOn: '2026-11-06', interviewBy: 'Sam Fictional, Runaway Service (fictional)' }))
    assert.deepEqual((await clocksOf(onTime.id)).map((k) => [k.completedOn, k.delayReasonCode]), [['2026-11-04', null]])

    const late = await recordMissingEpisode(ctx, caseId, start({ startedOn: '2026-11-10', returnedOn: '2026-11-10', returnedTime: '23:00' }))
    const noCode = await recordReturnInterview(ctx, caseId, late.id, returnInterview.parse({ version: 1, interviewOfferedOn: '2026-11-16' })).catch((e) => e)
    assert.ok(noCode instanceof ValidationFailed)
    assert.match(fieldErrors(noCode).lateReasonCode!, /due by 13 November 2026 and done on 16 November 2026/)
    await recordReturnInterview(ctx, caseId, late.id, returnInterview.parse({ version: 1, interviewOfferedOn: '2026-11-16', lateReasonCode: 'family-unavailable', lateReason: 'The child was in hospital' }))
    assert.deepEqual((await clocksOf(late.id)).map((k) => [k.completedOn, k.delayReasonCode, k.delayReason]), [['2026-11-16', 'family-unavailable', 'The child was in hospital']])
    await recordReturnInterview(ctx, caseId, late.id, returnInterview.parse({ version: 2, interviewOfferedOn: '2026-11-15', lateReasonCode: 'family-unavailable' }))
    assert.deepEqual((await clocksOf(late.id)).map((k) => k.completedOn), ['2026-11-15'], 'a corrected offer date moves the completion')
    const removed = await recordReturnInterview(ctx, caseId, late.id, returnInterview.parse({ version: 3 })).catch((e) => e)
    assert.match(fieldErrors(removed).interviewOfferedOn!, /correct the date rather than removing it/)

    const audited = await database.db.select({ action: auditEvent.action }).from(auditEvent).where(eq(auditEvent.recordId, late.id))
    assert.deepEqual(audited.map((a) => a.action).sort(), ['missing-episode.create', 'missing-episode.interview', 'missing-episode.interview'])
  })

  test('the interview follows the return, and a held interview names who held it and was accepted', async () => {
    const { caseId, ctx } = await allocatedCase()
    const away = await recordMissingEpisode(ctx, caseId, start({ kind: 'away' }))
    const beforeReturn = await recordReturnInterview(ctx, caseId, away.id, returnInterview.parse({ version: 1, interviewOfferedOn: '2026-11-03' })).catch((e) => e)
    assert.match(fieldErrors(beforeReturn).interviewOfferedOn!, /Record when the child came back first/)
    const parsed = returnInterview.safeParse({ version: 1, interviewOfferedOn: '2026-11-03', interviewAccepted: 'no', interviewHeldOn: '2026-11-04' })
    assert.equal(parsed.success, false)
    const paths = parsed.error!.issues.map((i) => i.path.join('.')).sort()
    assert.deepEqual(paths, ['interviewAccepted', 'interviewBy'])
    assert.equal(returnInterview.safeParse({ version: 1, screenedOn: '2026-11-03' }).success, false, 'a screening needs its outcome')
  })
})

describe('episodes of one child', () => {
  test('never overlap, only the latest may be open, and the child comes back after going', async () => {
    const { caseId, ctx } = await allocatedCase()
    const first = await recordMissingEpisode(ctx, caseId, start({ startedOn: '2026-11-01', startedTime: '21:00' }))
    const inside = await recordMissingEpisode(ctx, caseId, start({ startedOn: '2026-11-02', startedTime: '10:00' })).catch((e) => e)
    assert.match(fieldErrors(inside).startedOn!, /overlaps another time the child was missing or away \(from 2026-11-01, and the child is not yet recorded as back\)/)
    const backward = await recordMissingReturn(ctx, caseId, first.id, missingEpisodeReturn.parse({ version: 1, returnedOn: '2026-11-01', returnedTime: '20:00' })).catch((e) => e)
    assert.ok(backward instanceof ValidationFailed)
    await recordMissingReturn(ctx, caseId, first.id, missingEpisodeReturn.parse({ version: 1, returnedOn: '2026-11-02', returnedTime: '08:00' }))
    await assert.rejects(recordMissingReturn(ctx, caseId, first.id, missingEpisodeReturn.parse({ version: 2, returnedOn: '2026-11-02', returnedTime: '08:00' })), ValidationFailed, 'back once')
    const covering = await recordMissingEpisode(ctx, caseId, start({ startedOn: '2026-10-31', startedTime: '10:00', returnedOn: '2026-11-03', returnedTime: '10:00' })).catch((e) => e)
    assert.ok(covering instanceof ValidationFailed, 'an episode around another')
    await recordMissingEpisode(ctx, caseId, start({ startedOn: '2026-11-02', startedTime: '08:00' }))
    const future = await recordMissingEpisode(ctx, caseId, start({ startedOn: '2026-11-21' })).catch((e) => e)
    assert.match(fieldErrors(future).startedOn!, /must not be in the future/)
    await assert.rejects(recordMissingReturn(ctx, caseId, first.id, missingEpisodeReturn.parse({ version: 1, returnedOn: '2026-11-02', returnedTime: '08:00' })), ValidationFailed)
  })

  test('the last 12 months are counted by kind, with the last missing episode’s interview', async () => {
    const { caseId, ctx } = await allocatedCase()
    await recordMissingEpisode(ctx, caseId, start({ startedOn: '2025-10-01', returnedOn: '2025-10-02', returnedTime: '10:00' }))
    await recordMissingEpisode(ctx, caseId, start({ kind: 'away', startedOn: '2026-03-01', returnedOn: '2026-03-01', returnedTime: '23:00' }))
    const last = await recordMissingEpisode(ctx, caseId, start({ startedOn: '2026-09-01', returnedOn: '2026-09-02', returnedTime: '10:00' }))
    assert.deepEqual((await missingEpisodesOfCase(ctx, caseId)).summary, { missingInYear: 1, awayInYear: 1, lastInterviewOffered: false, lastInterviewAccepted: null })
    await recordReturnInterview(ctx, caseId, last.id, returnInterview.parse({ version: 1, interviewOfferedOn: '2026-09-03', interviewAccepted: 'no', lateReasonCode: null }))
    assert.deepEqual((await missingEpisodesOfCase(ctx, caseId)).summary, { missingInYear: 1, awayInYear: 1, lastInterviewOffered: true, lastInterviewAccepted: false })
  })
})

describe('access', () => {
  test('someone who may not change the case is refused; a stale version is a conflict; reads are audited', async () => {
    const { caseId, ctx } = await allocatedCase()
    const other = await world.user(['social-worker'], { team: 'assessment' })
    await assert.rejects(recordMissingEpisode(world.ctx(other, NOW), caseId, start({})), AccessDenied)
    const episode = await recordMissingEpisode(ctx, caseId, start({}))
    await assert.rejects(recordMissingReturn(ctx, caseId, episode.id, missingEpisodeReturn.parse({ version: 5, returnedOn: '2026-11-02', returnedTime: '08:00' })), EditConflict)
    await missingEpisodesOfCase(ctx, caseId)
    const reads = await database.db.select({ detail: auditEvent.detail }).from(auditEvent).where(eq(auditEvent.action, 'case.view'))
    assert.ok(reads.some((r) => (r.detail as { section?: string } | null)?.section === 'missing'), 'the read is audited as the case’s missing section')
  })
})
