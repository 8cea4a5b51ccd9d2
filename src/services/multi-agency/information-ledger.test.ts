/**
 * The information sharing ledger, complete (issue 17 §4): an urgent share's basis completed later
 * (outstanding until it is), and every share Together makes itself on the ledger with its basis.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { and, eq } from 'drizzle-orm'
import type { TestDatabase } from '../../../test/support/database.ts'
import { openTestWorld, type World } from '../../../test/support/fixtures.ts'
import { auditEvent, childCase, cinEpisode, conference, informationShare, person, plan } from '../../db/schema/index.ts'
import { submitConferenceReport } from './participation.ts'
import { exportOwnCinCensus } from '../returns/cin-census-export.ts'
import { commitFeed } from '../returns/csc-feed.ts'
import { AccessDenied, EditConflict, ValidationFailed } from '../common/context.ts'
import { caseOverview } from '../journey/case-overview.ts'
import { checkChildProtectionStatus } from './cp-status.ts'
import { cpStatusCheckInput } from './cp-status-input.ts'
import { answerRequest, sendInformationRequest } from './information-requests.ts'
import { informationAnswerInput, informationRequestInput } from './information-requests-input.ts'
import { shareBasisInput, shareDecisionInput } from './information-sharing-input.ts'
import {
  completeShareBasis,
  outstandingBases,
  outstandingBasesOfCase,
  recordAutomaticShare,
  recordShareDecision,
  sharesOfCase,
} from './information-sharing.ts'

let database: TestDatabase
let world: World
before(async () => {
  ;({ database, world } = await openTestWorld())
  await world.agency('trust', 'health-trust')
})
after(() => database.close())

const urgentShare = shareDecisionInput.parse({
  decision: 'shared',
  decidedOn: '2026-11-19',
  information: 'The child’s address and the concern (fictional)',
  recipient: 'Duty sergeant',
  purpose: 'The child was at risk that evening',
  consent: 'not-sought',
  consentReason: 'Seeking it would have put the child at risk',
  urgent: 'yes',
  specialCategory: 'yes',
})

const ledgerOf = (caseId: string) => database.db.select().from(informationShare).where(eq(informationShare.caseId, caseId))

describe('an urgent share’s basis, completed later', () => {
  test('outstanding on the case and its overview until completed at the version read; audited; a stale version is a conflict, a second completion refused', async () => {
    const worker = await world.user(['social-worker'])
    const child = await world.childCase({ worker: worker.userId })
    const ctx = world.ctx(worker)
    const share = await recordShareDecision(ctx, child.caseId, { ...urgentShare, recipientAgencyId: world.agencies.police! })
    assert.equal(share.article6Basis, null)
    assert.equal(await outstandingBasesOfCase(database.db, child.caseId), 1)
    assert.equal((await caseOverview(ctx, child.caseId)).outstandingBases, 1)
    assert.equal((await sharesOfCase(ctx, child.caseId)).shares[0]!.basisOutstanding, true)

    assert.equal(shareBasisInput.safeParse({ version: 1, article6Basis: 'public-task', specialCategory: 'yes' }).success, false, 'special category needs its condition')
    const basis = shareBasisInput.parse({ version: 1, article6Basis: 'public-task', specialCategory: 'yes', article9Condition: 'safeguarding-children' })
    await assert.rejects(completeShareBasis(ctx, child.caseId, share.id, { ...basis, version: 7 }), EditConflict)
    const reader = await world.user(['auditor'], { team: null })
    await assert.rejects(completeShareBasis(world.ctx(reader), child.caseId, share.id, basis), AccessDenied)

    const done = await completeShareBasis(ctx, child.caseId, share.id, basis)
    assert.equal(done.article6Basis, 'public-task')
    assert.equal(done.article9Condition, 'safeguarding-children')
    assert.equal(done.version, 2)
    assert.equal(await outstandingBasesOfCase(database.db, child.caseId), 0)
    assert.equal((await caseOverview(ctx, child.caseId)).outstandingBases, 0)
    const [entry] = await database.db.select().from(auditEvent).where(and(eq(auditEvent.action, 'information-share.basis'), eq(auditEvent.recordId, share.id)))
    assert.equal(entry!.subjectPersonId, child.personId)
    await assert.rejects(completeShareBasis(ctx, child.caseId, share.id, { ...basis, version: 2 }), ValidationFailed)
  })

  test('the partnership’s outstanding bases, for team managers and data protection officers only', async () => {
    const worker = await world.user(['social-worker'])
    const child = await world.childCase({ worker: worker.userId })
    const share = await recordShareDecision(world.ctx(worker), child.caseId, { ...urgentShare, specialCategory: false })
    const manager = await world.user(['team-manager'])
    const listed = await outstandingBases(world.ctx(manager), { offset: 0, limit: 100 })
    assert.ok(listed.items.some((s) => s.id === share.id))
    assert.ok(listed.items.every((s) => s.basisOutstanding))
    await assert.rejects(outstandingBases(world.ctx(worker)), AccessDenied)
  })
})

describe('shares Together makes itself', () => {
  test('an answer with information held is on the child’s ledger: shared with the requester and their agency, public task and the safeguarding condition; “nothing held” shares nothing', async () => {
    const worker = await world.user(['social-worker'])
    const officer = await world.user(['partner-practitioner'], { agency: 'police', team: null })
    const child = await world.childCase({ worker: worker.userId })
    const ask = informationRequestInput.parse({ toAgencyId: world.agencies.police!, personIds: [child.personId], question: 'What do you hold?', urgency: 'amber' })
    const held = await sendInformationRequest(world.ctx(worker), child.caseId, ask)
    const notHeld = await sendInformationRequest(world.ctx(worker), child.caseId, ask)
    await answerRequest(world.ctx(officer), notHeld.id, informationAnswerInput.parse({ held: 'no', version: 1 }))
    assert.deepEqual(await ledgerOf(child.caseId), [])
    await answerRequest(world.ctx(officer), held.id, informationAnswerInput.parse({ held: 'yes', information: 'A call-out in 2026 (fictional).', version: 1 }))
    const [row, ...rest] = await ledgerOf(child.caseId)
    assert.equal(rest.length, 0)
    assert.equal(row!.automatic, 'information-request-answer')
    assert.equal(row!.sourceId, held.id)
    assert.equal(row!.recipient, worker.displayName)
    assert.equal(row!.recipientAgencyId, world.agencies.council)
    assert.equal(row!.recordedBy, officer.userId)
    assert.equal(row!.article6Basis, 'public-task')
    assert.equal(row!.article9Condition, 'safeguarding-children')
    assert.equal(row!.decision, 'shared')
    assert.equal(await outstandingBasesOfCase(database.db, child.caseId), 0, 'an automatic share carries its basis')
    const shown = (await sharesOfCase(world.ctx(worker), child.caseId)).shares
    assert.equal(shown[0]!.decidedByName, officer.displayName)
  })

  test('a status check that gives a status shares it with the clinician’s agency; one that finds nothing shares nothing', async () => {
    const worker = await world.user(['social-worker'])
    const clinician = await world.user(['unscheduled-care'], { agency: 'trust', team: null })
    const child = await world.childCase({ worker: worker.userId })
    await database.db.update(person).set({ nhsNumber: '9990000093' }).where(eq(person.id, child.personId))
    await database.db.insert(plan).values({ partnershipId: world.partnershipId, caseId: child.caseId, kind: 'child-protection', startedOn: '2026-09-01', recordedBy: worker.userId })
    await checkChildProtectionStatus(world.ctx(clinician), cpStatusCheckInput.parse({ nhsNumber: '999 000 0093' }))
    const [row] = await ledgerOf(child.caseId)
    assert.equal(row!.automatic, 'cp-status-answer')
    assert.equal(row!.recipientAgencyId, world.agencies.trust)
    assert.equal(row!.recipient, clinician.displayName)
    assert.equal(row!.specialCategory, false)
    const before = (await database.db.select().from(informationShare).where(eq(informationShare.partnershipId, world.partnershipId))).length
    await checkChildProtectionStatus(world.ctx(clinician), cpStatusCheckInput.parse({ nhsNumber: '999 000 0018' }))
    assert.equal((await database.db.select().from(informationShare).where(eq(informationShare.partnershipId, world.partnershipId))).length, before)
  })

  test('an agency’s report to a conference, and each amendment, is shared with the conference (its chair, of the council)', async () => {
    const worker = await world.user(['social-worker'])
    const chair = await world.user(['conference-chair'], { team: null })
    const teacher = await world.user(['partner-practitioner'], { agency: 'school', team: null })
    const child = await world.childCase({ worker: worker.userId })
    await world.involve(child.caseId, 'school')
    const [e] = await database.db.insert(cinEpisode).values({ partnershipId: world.partnershipId, caseId: child.caseId, referralDate: '2026-10-01', referralSource: '2A', recordedBy: worker.userId }).returning()
    const [k] = await database.db
      .insert(conference)
      .values({ partnershipId: world.partnershipId, caseId: child.caseId, episodeId: e!.id, kind: 'initial', scheduledFor: '2026-11-27', chairId: chair.userId, participants: [{ party: 'agency', name: 'School DSL', agencyId: world.agencies.school, attendance: 'invited', reportReceivedOn: null }], recordedBy: worker.userId })
      .returning()
    const report = await submitConferenceReport(world.ctx(teacher), child.caseId, k!.id, { body: 'Attendance 82% this term (fictional).' })
    await submitConferenceReport(world.ctx(teacher), child.caseId, k!.id, { body: 'Attendance 80% this term (fictional).', version: report.version })
    const rows = await ledgerOf(child.caseId)
    assert.equal(rows.length, 2)
    assert.ok(rows.every((r) => r.automatic === 'conference-report' && r.sourceId === report.id && r.recipient === chair.displayName && r.recipientAgencyId === world.agencies.council))
  })

  test('one entry per child in one statement, by case or by person (the latest case), never another partnership’s; by a job with no recorder', async () => {
    const a = await world.childCase()
    const b = await world.childCase()
    const [later] = await database.db
      .insert(childCase)
      .values({ partnershipId: world.partnershipId, personId: b.personId, teamId: world.teams.assessment!, status: 'assessment', openedOn: '2026-11-01' })
      .returning({ id: childCase.id })
    const n = await database.db.transaction((tx) =>
      recordAutomaticShare(tx, { kind: 'csc-feed', partnershipId: world.partnershipId, recordedBy: null, sharedOn: '2026-11-20', personIds: [a.personId, b.personId, b.personId] }),
    )
    assert.equal(n, 2)
    assert.equal((await ledgerOf(a.caseId)).length, 1)
    assert.equal((await ledgerOf(b.caseId)).length, 0, 'the latest case of the person')
    const [row] = await ledgerOf(later!.id)
    assert.equal(row!.recipient, 'Department for Education (children’s social care data feed)')
    assert.equal(row!.recordedBy, null)
    assert.equal(row!.article9Condition, 'statutory-purposes')
    const none = await recordAutomaticShare(database.db, { kind: 'cin-census', partnershipId: '00000000-0000-4000-8000-000000000000', recordedBy: null, sharedOn: '2026-11-20', caseIds: [a.caseId] })
    assert.equal(none, 0)
    assert.equal(await recordAutomaticShare(database.db, { kind: 'cin-census', partnershipId: world.partnershipId, recordedBy: null, sharedOn: '2026-11-20', caseIds: [] }), 0)
  })

  test('a census file puts each child in it on their ledger (legal obligation, statutory purposes); the DfE feed each child sent, not a purge nor a file', async () => {
    const analyst = await world.user(['performance-analyst'], { team: null })
    const child = await world.childCase()
    await database.db.insert(cinEpisode).values({ partnershipId: world.partnershipId, caseId: child.caseId, referralDate: '2025-06-02', referralSource: '1A', recordedBy: analyst.userId })
    await exportOwnCinCensus(world.ctx(analyst), { year: 2026 }, async () => {})
    const [row, ...rest] = await ledgerOf(child.caseId)
    assert.equal(rest.length, 0)
    assert.equal(row!.automatic, 'cin-census')
    assert.equal(row!.article6Basis, 'legal-obligation')
    assert.equal(row!.recordedBy, analyst.userId)
    assert.equal(row!.decidedOn, '2026-11-20')

    const sent = await world.childCase()
    const purged = await world.childCase()
    const selection = {
      kind: 'changes' as const,
      records: [],
      unchanged: 0,
      state: [
        { laChildId: 'C0000001', personId: sent.personId, hash: 'h', purged: false },
        { laChildId: 'C0000002', personId: purged.personId, hash: 'h', purged: true },
      ],
    }
    await commitFeed(database.db, world.partnershipId, selection, { destination: 'file', receipts: [], now: new Date('2026-11-20T10:00:00Z'), actorUserId: null })
    assert.equal((await ledgerOf(sent.caseId)).length, 0, 'a file written to check is not a share')
    await commitFeed(database.db, world.partnershipId, selection, { destination: 'dfe', receipts: ['r'], now: new Date('2026-11-20T10:00:00Z'), actorUserId: null })
    assert.equal((await ledgerOf(sent.caseId))[0]!.automatic, 'csc-feed')
    assert.equal((await ledgerOf(purged.caseId)).length, 0)
  })
})
