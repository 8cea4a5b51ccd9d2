/**
 * Early help assessments (issue 17 §7): recorded and completed on a case with their dates checked,
 * the organisation an agency of the partnership or one outside it, audited, in the chronology, and
 * the rows of Annex A list 2.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { eq } from 'drizzle-orm'
import type { TestDatabase } from '../../../test/support/database.ts'
import { openTestWorld, World } from '../../../test/support/fixtures.ts'
import { auditEvent, person } from '../../db/schema/index.ts'
import { ANNEX_A_QUERIES } from '../returns/annex-a-records.ts'
import { AccessDenied, EditConflict, ValidationFailed } from '../common/context.ts'
import { chronology } from './chronology.ts'
import { earlyHelpAssessmentCompletion, earlyHelpAssessmentInput } from './early-help-assessment-input.ts'
import { completeEarlyHelpAssessment, earlyHelpAssessmentsOfCase, recordEarlyHelpAssessment } from './early-help-assessments.ts'

let database: TestDatabase
let world: World
before(async () => ({ database, world } = await openTestWorld()))
after(() => database.close())

async function allocatedCase() {
  const worker = await world.user(['social-worker'])
  const { caseId, personId } = await world.childCase({ worker: worker.userId })
  return { worker, caseId, personId, ctx: world.ctx(worker) }
}

const fieldErrors = (err: unknown) => (err as ValidationFailed).fieldErrors
const input = (values: Record<string, unknown>) => earlyHelpAssessmentInput.parse({ summary: 'Family support needs: housing and school attendance', ...values })

describe('early help assessments', () => {
  test('recorded by an agency of the partnership, then completed at the version read; audited and in the chronology', async () => {
    const { worker, caseId, ctx } = await allocatedCase()
    const school = world.agencies.school!
    const made = await recordEarlyHelpAssessment(ctx, caseId, input({ startedOn: '2026-10-05', agencyId: school, leadUserId: worker.userId }))
    assert.equal(made.completedOn, null)
    assert.match(made.organisation, /^school /)
    assert.equal(made.agencyId, school)

    await assert.rejects(completeEarlyHelpAssessment(ctx, caseId, made.id, { version: 9, completedOn: '2026-11-01' }), EditConflict)
    const early = await completeEarlyHelpAssessment(ctx, caseId, made.id, { version: 1, completedOn: '2026-10-04' }).catch((e) => e)
    assert.match(fieldErrors(early).completedOn!, /cannot be completed before it started/)
    const future = await completeEarlyHelpAssessment(ctx, caseId, made.id, { version: 1, completedOn: '2026-11-21' }).catch((e) => e)
    assert.match(fieldErrors(future).completedOn!, /today or in the past/)
    await completeEarlyHelpAssessment(ctx, caseId, made.id, earlyHelpAssessmentCompletion.parse({ version: '1', completedOn: '2026-11-02' }))
    const again = await completeEarlyHelpAssessment(ctx, caseId, made.id, { version: 2, completedOn: '2026-11-03' }).catch((e) => e)
    assert.match(fieldErrors(again).completedOn!, /was completed on 2026-11-02/)

    const page = await earlyHelpAssessmentsOfCase(ctx, caseId)
    assert.deepEqual(page.assessments.map((a) => [a.startedOn, a.completedOn, a.leadName, a.version]), [['2026-10-05', '2026-11-02', worker.displayName, 2]])
    assert.equal(page.c.mayUpdate, true)

    const audited = await database.db.select({ action: auditEvent.action }).from(auditEvent).where(eq(auditEvent.recordId, made.id))
    assert.deepEqual(audited.map((a) => a.action).sort(), ['early-help-assessment.complete', 'early-help-assessment.create'])
    const views = await database.db.select({ detail: auditEvent.detail }).from(auditEvent).where(eq(auditEvent.requestId, ctx.requestId!))
    assert.ok(views.some((v) => (v.detail as { section?: string } | null)?.section === 'plans'), 'the read is audited as the plans section')

    const entries = (await chronology(ctx, caseId)).entries.filter((e) => e.entity === 'early-help-assessment')
    assert.deepEqual(entries.map((e) => [e.date, e.kind, e.title]), [
      ['2026-10-05', 'assessment', 'Early help assessment started'],
      ['2026-11-02', 'assessment', 'Early help assessment completed'],
    ])
    assert.match(entries[0]!.detail, /^By school .*Family support needs/)
    assert.equal(entries[0]!.link, `/cases/${caseId}/early-help-assessments`)
  })

  test('an organisation outside the partnership by name; one or the other, never neither or both; dates checked', async () => {
    const { caseId, ctx } = await allocatedCase()
    const outside = await recordEarlyHelpAssessment(ctx, caseId, input({ startedOn: '2026-09-01', completedOn: '2026-09-20', otherOrganisation: 'Riverside Family Hub (voluntary)' }))
    assert.deepEqual([outside.agencyId, outside.organisation, outside.completedOn], [null, 'Riverside Family Hub (voluntary)', '2026-09-20'])

    const neither = await recordEarlyHelpAssessment(ctx, caseId, input({ startedOn: '2026-09-01' })).catch((e) => e)
    assert.match(fieldErrors(neither).agencyId!, /Select the organisation/)
    const both = await recordEarlyHelpAssessment(ctx, caseId, input({ startedOn: '2026-09-01', agencyId: world.agencies.school, otherOrganisation: 'Elsewhere' })).catch((e) => e)
    assert.match(fieldErrors(both).agencyId!, /not both/)
    const otherPartnership = await World.create(database.db)
    const foreign = await recordEarlyHelpAssessment(ctx, caseId, input({ startedOn: '2026-09-01', agencyId: otherPartnership.agencies.school })).catch((e) => e)
    assert.match(fieldErrors(foreign).agencyId!, /from the list/)
    const dates = await recordEarlyHelpAssessment(ctx, caseId, input({ startedOn: '2026-11-21', completedOn: '2026-11-01', otherOrganisation: 'X' })).catch((e) => e)
    assert.match(fieldErrors(dates).startedOn!, /today or in the past/)
    assert.match(fieldErrors(dates).completedOn!, /before it started/)
    const noLead = await recordEarlyHelpAssessment(ctx, caseId, input({ startedOn: '2026-09-01', otherOrganisation: 'X', leadUserId: '00000000-0000-4000-8000-000000000000' })).catch((e) => e)
    assert.match(fieldErrors(noLead).leadUserId!, /lead practitioner/)
    assert.equal((await earlyHelpAssessmentsOfCase(ctx, caseId)).assessments.length, 1)
  })

  test('seeing them is reading the case, recording them is changing it', async () => {
    const { caseId, ctx } = await allocatedCase()
    await recordEarlyHelpAssessment(ctx, caseId, input({ startedOn: '2026-10-01', otherOrganisation: 'Family Hub' }))
    const other = await world.user(['social-worker'], { team: 'front-door' })
    await assert.rejects(recordEarlyHelpAssessment(world.ctx(other), caseId, input({ startedOn: '2026-10-01', otherOrganisation: 'Family Hub' })), AccessDenied)
    const partner = await world.user(['partner-practitioner'], { agency: 'school', team: null })
    await assert.rejects(earlyHelpAssessmentsOfCase(world.ctx(partner), caseId), (e: Error) => e instanceof AccessDenied || e.name === 'NotFound')
  })
})

describe('Annex A list 2', () => {
  test('one row per assessment started or completed in the period, with the child’s columns and the organisation', async () => {
    const w = await World.create(database.db)
    const worker = await w.user(['social-worker'])
    const ctx = w.ctx(worker)
    const { caseId, personId } = await w.childCase({ worker: worker.userId })
    await database.db.update(person).set({ laChildId: 'EH0001', sex: 'F', ethnicity: 'WBRI' }).where(eq(person.id, personId))
    const record = (startedOn: string, completedOn: string | null, organisation: Record<string, string>) =>
      recordEarlyHelpAssessment(ctx, caseId, input({ startedOn, completedOn, ...organisation }))
    await record('2025-01-10', '2025-02-01', { otherOrganisation: 'Before the period' })
    await record('2025-03-01', '2025-04-15', { agencyId: w.agencies.school! })
    await record('2025-06-01', null, { otherOrganisation: 'Riverside Family Hub' })
    await record('2025-08-01', '2025-11-01', { otherOrganisation: 'Completed after the period' })
    const list2 = await ANNEX_A_QUERIES[2]!(database.db, w.partnershipId, { from: '2025-04-01', to: '2025-09-30' })
    assert.deepEqual(
      list2.map((r) => [r['Child Unique ID'], r.Gender, r.Ethnicity, r['Age of Child (Years)'], r['Assessment start date'], r['Assessment completion date'], r['Organisation completing assessment']]),
      [
        ['EH0001', 'b) Female', 'a) White', 9, '2025-03-01', '2025-04-15', (await earlyHelpAssessmentsOfCase(ctx, caseId)).options.agencies.find((a) => a.id === w.agencies.school)!.name],
        ['EH0001', 'b) Female', 'a) White', 9, '2025-06-01', null, 'Riverside Family Hub'],
        ['EH0001', 'b) Female', 'a) White', 9, '2025-08-01', null, 'Completed after the period'],
      ],
    )
  })
})
