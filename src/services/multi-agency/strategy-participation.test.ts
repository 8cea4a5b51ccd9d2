import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { and, eq } from 'drizzle-orm'
import type { TestDatabase } from '../../../test/support/database.ts'
import { openTestWorld, World } from '../../../test/support/fixtures.ts'
import { auditEvent, cinEpisode, notification } from '../../db/schema/index.ts'
import { AccessDenied, EditConflict, ValidationFailed } from '../common/context.ts'
import { viewCase } from '../journey/cases.ts'
import { chronology } from '../journey/chronology.ts'
import { recordStrategyDiscussion } from '../journey/strategy-discussions.ts'
import { inviteToStrategyDiscussion, myAgencyActions, participationOf, updateActionProgress, withdrawInvitation } from './participation.ts'
import {
  agreeStrategyAction,
  closeStrategyDiscussion,
  partnerStrategyView,
  saveStrategyInformation,
  strategyRecord,
} from './strategy-participation.ts'

let database: TestDatabase
let world: World
before(async () => {
  ;({ database, world } = await openTestWorld())
  await world.agency('health', 'health-trust')
})
after(() => database.close())

const refused = (err: unknown) => err instanceof AccessDenied
const today = '2026-11-20'

/** A case with an open episode, its worker, and a health visitor and a police officer invited to a strategy discussion today. */
async function invited() {
  const worker = await world.user(['social-worker'])
  const visitor = await world.user(['partner-practitioner'], { agency: 'health', team: null })
  const colleague = await world.user(['partner-practitioner'], { agency: 'health', team: null })
  const officer = await world.user(['partner-practitioner'], { agency: 'police', team: null })
  const teacher = await world.user(['partner-practitioner'], { agency: 'school', team: null })
  const { caseId, personId } = await world.childCase({ worker: worker.userId, givenName: 'Strategy' })
  await database.db.insert(cinEpisode).values({ partnershipId: world.partnershipId, caseId, referralDate: '2026-11-18', referralSource: '2A', recordedBy: worker.userId })
  const invite = (userId: string) =>
    inviteToStrategyDiscussion(world.ctx(worker), caseId, { userId, meetingOn: today, meetingTime: '14:00', purpose: 'Bruising the school reported' })
  const visitorInv = await invite(visitor.userId)
  const officerInv = await invite(officer.userId)
  const colleagueInv = await invite(colleague.userId)
  return { worker, visitor, colleague, officer, teacher, caseId, personId, visitorInv, officerInv, colleagueInv }
}

const record = (worker: { userId: string } & Parameters<World['ctx']>[0], caseId: string) =>
  recordStrategyDiscussion(world.ctx(worker, new Date('2026-11-20T16:00:00Z')), caseId, {
    heldOn: today,
    heldAtTime: '14:00',
    attendees: [
      { name: 'Sam Fictional', agencyId: world.agencies.council!, role: 'Social worker' },
      { name: 'DC Imaginary', agencyId: world.agencies.police!, role: 'Detective constable' },
      { name: 'Nurse Pretend', agencyId: world.agencies.health!, role: 'Health visitor' },
    ],
    informationShared: 'Police hold a previous domestic incident.',
    decision: 's47-joint',
    decisionDetail: 'Joint visit tomorrow.',
    immediateSafetyActions: 'Child to stay with grandparent tonight.',
  } as never)

describe('strategy discussions as a multi-agency record', () => {
  test('an invited partner adds their agency’s information before the discussion, then sees its decision and actions after it; every view audited with the invitation', async () => {
    const s = await invited()
    const before_ = await partnerStrategyView(world.ctx(s.visitor), s.caseId, s.visitorInv.id)
    assert.equal(before_.discussion, null)
    assert.equal(before_.mayContribute, true)
    const info = await saveStrategyInformation(world.ctx(s.visitor), s.caseId, s.visitorInv.id, { body: 'Seen at home last week; bruise on the arm.' })
    assert.equal(info.strategyDiscussionId, null)
    assert.equal(info.agencyId, world.agencies.health)
    const [told] = await database.db.select().from(notification).where(and(eq(notification.userId, s.worker.userId), eq(notification.kind, 'strategy-information')))
    assert.ok(told, 'the social worker is told')

    const { strategyDiscussion: d } = await record(s.worker, s.caseId)
    const after_ = await partnerStrategyView(world.ctx(s.visitor), s.caseId, s.visitorInv.id)
    assert.equal(after_.discussion?.id, d.id)
    assert.match(after_.discussion!.decisionLabel, /jointly with a police investigation/)
    assert.equal(after_.discussion!.immediateSafetyActions, 'Child to stay with grandparent tonight.')
    assert.equal('informationShared' in after_.discussion!, false, 'only the decision, not what was shared')
    assert.equal(after_.contribution?.id, info.id, 'the information added before is the discussion’s now')
    assert.equal(after_.contribution?.recordedByName, s.visitor.displayName)

    // The social worker sees it on the discussion's record, and in the chronology.
    const rec = await strategyRecord(world.ctx(s.worker), s.caseId, d.id)
    assert.deepEqual(rec.contributions.map((x) => [x.agencyId, x.body, x.recordedByName]), [[world.agencies.health, 'Seen at home last week; bruise on the arm.', s.visitor.displayName]])
    assert.equal(rec.mayChange, true)
    const events = await chronology(world.ctx(s.worker), s.caseId)
    // Added before the discussion, the entry links to the invitations page (as it was written).
    assert.ok(events.entries.some((e) => /added its information to a strategy discussion/.test(e.title) && e.link === `/cases/${s.caseId}/strategy-discussions/invitations`))

    const entries = await database.db.select().from(auditEvent).where(and(eq(auditEvent.actorUserId, s.visitor.userId), eq(auditEvent.recordId, s.caseId), eq(auditEvent.action, 'case.view')))
    assert.ok(entries.length >= 2)
    assert.ok(entries.every((e) => e.ground === 'invitation'))
    assert.ok(entries.some((e) => (e.detail as { section: string }).section === 'strategy-discussion'))
    // Still not the case record.
    await assert.rejects(viewCase(world.ctx(s.visitor), s.caseId), refused)
  })

  test('one contribution per agency: only its author changes it, at the version read; someone else’s invitation and an uninvited partner get nothing', async () => {
    const s = await invited()
    const { strategyDiscussion: d } = await record(s.worker, s.caseId)
    const first = await saveStrategyInformation(world.ctx(s.visitor), s.caseId, s.visitorInv.id, { body: 'Health visiting since birth.' })
    assert.equal(first.strategyDiscussionId, d.id)
    await assert.rejects(saveStrategyInformation(world.ctx(s.visitor), s.caseId, s.visitorInv.id, { body: 'No version' }), EditConflict)
    const changed = await saveStrategyInformation(world.ctx(s.visitor), s.caseId, s.visitorInv.id, { body: 'Changed.', version: first.version })
    assert.equal(changed.version, first.version + 1)
    await assert.rejects(saveStrategyInformation(world.ctx(s.visitor), s.caseId, s.visitorInv.id, { body: 'Stale', version: first.version }), EditConflict)
    // A colleague of the same agency, also invited, sees it but cannot change it.
    const colleagueView = await partnerStrategyView(world.ctx(s.colleague), s.caseId, s.colleagueInv.id)
    assert.equal(colleagueView.contribution?.body, 'Changed.')
    assert.equal(colleagueView.mayContribute, false)
    await assert.rejects(saveStrategyInformation(world.ctx(s.colleague), s.caseId, s.colleagueInv.id, { body: 'Mine', version: changed.version }), ValidationFailed)
    // The police officer's own contribution is the police's.
    const police = await saveStrategyInformation(world.ctx(s.officer), s.caseId, s.officerInv.id, { body: 'Previous incident in 2025.' })
    assert.equal(police.agencyId, world.agencies.police)

    // Someone else's invitation: refused and audited; the uninvited teacher: refused by the policy.
    await assert.rejects(partnerStrategyView(world.ctx(s.officer), s.caseId, s.visitorInv.id), refused)
    await assert.rejects(saveStrategyInformation(world.ctx(s.officer), s.caseId, s.visitorInv.id, { body: 'x' }), refused)
    await assert.rejects(partnerStrategyView(world.ctx(s.teacher), s.caseId, s.visitorInv.id), refused)
    await assert.rejects(saveStrategyInformation(world.ctx(s.teacher), s.caseId, s.visitorInv.id, { body: 'x' }), refused)
    const refusals = await database.db.select().from(auditEvent).where(and(eq(auditEvent.actorUserId, s.officer.userId), eq(auditEvent.action, 'case.participate.refused')))
    assert.equal(refusals.length, 1)
    assert.deepEqual(refusals[0]!.detail, { section: 'strategy-discussion', invitationId: s.visitorInv.id })

    // A withdrawn invitation ends it at once.
    await withdrawInvitation(world.ctx(s.worker), s.caseId, s.officerInv.id, s.officerInv.version)
    await assert.rejects(partnerStrategyView(world.ctx(s.officer), s.caseId, s.officerInv.id), refused)
    const rec = await strategyRecord(world.ctx(s.worker), s.caseId, d.id)
    assert.equal(rec.contributions.length, 2, 'what the police added stays on the record')
  })

  test('an action agreed at the discussion is the owning agency’s: in its actions list, progress recorded as for plan actions; closing the record ends it all', async () => {
    const s = await invited()
    const { strategyDiscussion: d } = await record(s.worker, s.caseId)
    await assert.rejects(
      agreeStrategyAction(world.ctx(s.worker), s.caseId, d.id, { description: 'x', ownerAgencyId: world.agencies.health!, ownerUserId: s.officer.userId }),
      ValidationFailed,
      'the person must work for the agency',
    )
    await assert.rejects(agreeStrategyAction(world.ctx(s.visitor), s.caseId, d.id, { description: 'x', ownerAgencyId: world.agencies.health! }), refused, 'partners do not add actions')
    const action = await agreeStrategyAction(world.ctx(s.worker), s.caseId, d.id, {
      description: 'Health visitor to see the child at home tomorrow',
      ownerAgencyId: world.agencies.health!,
      ownerUserId: s.visitor.userId,
      dueOn: '2026-11-21',
    })
    assert.equal(action.planId, null)
    assert.equal(action.strategyDiscussionId, d.id)
    const [told] = await database.db.select().from(notification).where(and(eq(notification.userId, s.visitor.userId), eq(notification.kind, 'strategy-action')))
    assert.ok(told)

    const mine = await myAgencyActions(world.ctx(s.colleague))
    const listed = mine.items.find((a) => a.id === action.id)
    assert.equal(listed?.planKindLabel, 'Strategy discussion')
    assert.equal((await participationOf(world.ctx(s.visitor), s.caseId)).actions.find((a) => a.id === action.id)?.planKindLabel, 'Strategy discussion')
    assert.equal((await myAgencyActions(world.ctx(s.officer))).items.some((a) => a.id === action.id), false, 'another agency’s action is not listed')
    await assert.rejects(
      updateActionProgress(world.ctx(s.officer), s.caseId, action.id, { version: action.version, status: 'done', note: 'x', progressOn: today }),
      refused,
    )
    await assert.rejects(
      updateActionProgress(world.ctx(s.visitor), s.caseId, action.id, { version: action.version, status: 'in-progress', note: 'Too early', progressOn: '2026-11-19' }),
      ValidationFailed,
      'not before the discussion',
    )
    const { item, update } = await updateActionProgress(world.ctx(s.visitor), s.caseId, action.id, { version: action.version, status: 'in-progress', note: 'Visit booked', progressOn: today })
    assert.equal(item.status, 'in-progress')
    assert.equal(update.strategyDiscussionId, d.id)
    const rec = await strategyRecord(world.ctx(s.worker), s.caseId, d.id)
    assert.equal(rec.actions[0]!.latest?.note, 'Visit booked')
    assert.equal(rec.actions[0]!.ownerUserName, s.visitor.displayName)
    const partnerSees = await partnerStrategyView(world.ctx(s.officer), s.caseId, s.officerInv.id)
    assert.deepEqual(partnerSees.actions.map((a) => a.statusLabel), ['In progress'])

    // Closing the record (at the version read): the invitations end at once, the information can
    // no longer change, the action leaves the agency's list and its access.
    await assert.rejects(closeStrategyDiscussion(world.ctx(s.worker), s.caseId, d.id, d.version + 5), EditConflict)
    const closed = await closeStrategyDiscussion(world.ctx(s.worker), s.caseId, d.id, d.version)
    assert.ok(closed.closedAt)
    await assert.rejects(partnerStrategyView(world.ctx(s.visitor), s.caseId, s.visitorInv.id), refused)
    await assert.rejects(participationOf(world.ctx(s.officer), s.caseId), refused)
    assert.equal((await myAgencyActions(world.ctx(s.visitor))).items.some((a) => a.id === action.id), false)
    await assert.rejects(agreeStrategyAction(world.ctx(s.worker), s.caseId, d.id, { description: 'Late', ownerAgencyId: world.agencies.police! }), ValidationFailed)
    assert.equal((await strategyRecord(world.ctx(s.worker), s.caseId, d.id)).mayChange, false)
  })
})
