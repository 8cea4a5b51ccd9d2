/**
 * The case at a glance (issue 16, item 13) and the case's alerts: what the overview and the API's
 * case read summarise, from one audited read; alerts changed as a versioned, audited case write.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { and, eq } from 'drizzle-orm'
import type { TestDatabase } from '../../../test/support/database.ts'
import { FIXED_NOW, openTestWorld, World } from '../../../test/support/fixtures.ts'
import { agencyContactDetails, auditEvent, caseNote, childCase, contact, contactChild, person, personRelationship, plan, planItem, recordRevision, task } from '../../db/schema/index.ts'
import { AccessDenied, EditConflict, type ServiceContext } from '../common/context.ts'
import { caseAlertsInput } from './case-alerts-input.ts'
import { caseAlertsForm, setCaseAlerts } from './case-alerts.ts'
import { caseOverview } from './case-overview.ts'
import { familyMemberInput } from './family-input.ts'
import { addFamilyMember } from './family.ts'

let database: TestDatabase
let world: World
before(async () => ({ database, world } = await openTestWorld()))
after(() => database.close())

const member = (givenName: string, fields: Record<string, unknown>) =>
  familyMemberInput.parse({ person: { givenName, familyName: 'Fictional', dateOfBirth: '1990-02-03', sex: 'F' }, notes: '', ...fields })

async function addNotes(caseId: string, userId: string, rows: { on: string; kind?: string; title: string; seen?: boolean; alone?: boolean }[]) {
  await database.db.insert(caseNote).values(
    rows.map((r) => ({
      partnershipId: world.partnershipId,
      caseId,
      kind: r.kind ?? 'note',
      occurredOn: r.on,
      title: r.title,
      body: 'Fictional.',
      childSeen: r.seen ?? null,
      childSeenAlone: r.alone ?? null,
      recordedBy: userId,
    })),
  )
}

/** A child with a record of every kind the summary reads, some of it ended, dropped or elsewhere. */
async function fullCase() {
  const manager = await world.user(['team-manager'])
  await world.user(['team-manager'], { active: false })
  await world.user(['team-manager'], { team: 'front-door' })
  const worker = await world.user(['social-worker'])
  const ctx = world.ctx(worker)
  const { caseId, personId } = await world.childCase({ worker: worker.userId })
  await database.db.update(person).set({ address: '1 Fictional Row, Demotown', postcode: 'ZZ99 1AA' }).where(eq(person.id, personId))

  await addFamilyMember(ctx, caseId, member('Mia', { kind: 'parent', sameHousehold: 'yes', parentalResponsibility: 'yes' }))
  await addFamilyMember(ctx, caseId, member('Sid', { kind: 'sibling', sameHousehold: 'yes', parentalResponsibility: 'no' }))
  await addFamilyMember(ctx, caseId, member('Dan', { kind: 'parent', sameHousehold: 'no', parentalResponsibility: 'yes' }))
  await addFamilyMember(ctx, caseId, member('Gran', { kind: 'grandparent', sameHousehold: 'no', parentalResponsibility: 'no' }))
  const ended = await addFamilyMember(ctx, caseId, member('Former', { kind: 'partner-of-parent', sameHousehold: 'yes', parentalResponsibility: 'no' }))
  await database.db.update(personRelationship).set({ endedOn: '2026-11-01' }).where(eq(personRelationship.id, ended.id))

  // The school: involved, with a referral from its safeguarding lead (the latest of two).
  await world.involve(caseId, 'school', '2026-10-01')
  for (const [receivedAt, phone] of [['2026-09-01T09:00:00Z', '01632 960000'], ['2026-10-05T09:00:00Z', '01632 960001']] as const) {
    const [k] = await database.db
      .insert(contact)
      .values({
        partnershipId: world.partnershipId,
        receivedAt: new Date(receivedAt),
        source: '2A',
        referrerName: 'Ms Demo Teacher',
        referrerAgencyId: world.agencies.school!,
        referrerRole: 'Designated safeguarding lead',
        referrerContact: phone,
        concern: 'Fictional concern.',
        consent: 'given',
        urgency: 'standard',
        recordedBy: worker.userId,
      })
      .returning({ id: contact.id })
    await database.db.insert(contactChild).values({ partnershipId: world.partnershipId, contactId: k!.id, caseId, personId })
  }
  // The police: involvement ended. Health: owns an action of the open plan, with its duty line.
  await world.involve(caseId, 'police', '2026-01-01', '2026-06-30')
  await world.agency('health', 'health-trust')
  await database.db.insert(agencyContactDetails).values({ agencyId: world.agencies.health!, partnershipId: world.partnershipId, phone: '01632 960999', email: 'duty@health.invalid' })
  const visitor = await world.user(['partner-practitioner'], { agency: 'health', team: null })
  const [open] = await database.db
    .insert(plan)
    .values({ partnershipId: world.partnershipId, caseId, kind: 'child-protection', startedOn: '2026-10-20', initialCategory: 'NEG', latestCategory: 'EMO', nextReviewOn: '2027-01-20', recordedBy: worker.userId })
    .returning({ id: plan.id })
  const [old] = await database.db
    .insert(plan)
    .values({ partnershipId: world.partnershipId, caseId, kind: 'child-in-need', startedOn: '2026-05-01', endedOn: '2026-10-19', recordedBy: worker.userId })
    .returning({ id: plan.id })
  const action = (planId: string, agencyKey: string, ownerUserId: string | null, status = 'not-started') => ({
    partnershipId: world.partnershipId,
    caseId,
    planId,
    kind: 'action',
    description: 'Fictional action',
    ownerAgencyId: world.agencies[agencyKey]!,
    ownerUserId,
    status,
    recordedBy: worker.userId,
  })
  await database.db.insert(planItem).values([
    action(open!.id, 'health', visitor.userId),
    action(open!.id, 'health', visitor.userId),
    action(open!.id, 'council', worker.userId),
    action(open!.id, 'police', null, 'dropped'),
    action(old!.id, 'police', null),
  ])

  await addNotes(caseId, worker.userId, [
    { on: '2026-11-10', kind: 'visit', title: 'Home visit', seen: true, alone: true },
    { on: '2026-11-12', title: 'Call with school' },
    { on: '2026-11-15', kind: 'visit', title: 'Visit, nobody in', seen: false },
    { on: '2026-11-18', title: 'Strategy notes' },
    { on: '2026-11-25', kind: 'visit', title: 'Planned visit (future)' },
  ])
  await database.db.insert(task).values(
    [
      ['Later task', '2026-12-20'],
      ['No date task', null],
      ['Overdue task', '2026-11-01'],
      ['Soon task', '2026-11-25'],
      ['Next task', '2026-12-01'],
    ].map(([title, dueOn]) => ({ partnershipId: world.partnershipId, caseId, title: title!, dueOn, assigneeUserId: worker.userId, createdBy: worker.userId })),
  )
  await database.db.insert(task).values({ partnershipId: world.partnershipId, caseId, title: 'Done task', dueOn: '2026-10-01', status: 'done', doneOn: '2026-10-01', assigneeTeamId: world.teams.assessment! })
  return { caseId, personId, worker, manager, visitor, ctx }
}

describe('the case at a glance', () => {
  test('address, household, parents elsewhere, worker and managers, agencies with contacts, plans, last visit, notes and tasks', async () => {
    const { caseId, worker, manager, visitor, ctx } = await fullCase()
    const view = await caseOverview(ctx, caseId)
    const s = view.summary
    assert.equal(s.address, '1 Fictional Row, Demotown')
    assert.equal(s.postcode, 'ZZ99 1AA')
    // Current relationships only; in the household parents first; elsewhere only parents and carers.
    assert.deepEqual(s.household.map((m) => [m.givenName, m.kind, m.parentalResponsibility]), [['Mia', 'parent', true], ['Sid', 'sibling', false]])
    assert.deepEqual(s.parentsAndCarersElsewhere.map((m) => [m.givenName, m.kind, m.dateOfBirth]), [['Dan', 'parent', '1990-02-03']])
    assert.deepEqual(s.allocatedWorker, { name: worker.displayName, email: worker.email })
    // Active managers of the case's team only.
    assert.deepEqual(s.teamManagers, [{ name: manager.displayName, email: manager.email }])
    // The school by its involvement, with its latest referrer; health by its plan action, its owner
    // named once, with the duty line; not the police (involvement ended, actions dropped or of an
    // ended plan), not the council (the case's own). By name: the fixture's are "health …", "school …".
    assert.deepEqual(
      s.agencies.map((a) => [a.agencyId, a.involvement, a.since, a.phone, a.email, a.contacts.map((p) => [p.name, p.role, p.contact, p.basis, p.on])]),
      [
        [world.agencies.health, null, null, '01632 960999', 'duty@health.invalid', [[visitor.displayName, null, visitor.email, 'plan-action', null]]],
        [world.agencies.school, 'involved', '2026-10-01', null, null, [['Ms Demo Teacher', 'Designated safeguarding lead', '01632 960001', 'referrer', '2026-10-05']]],
      ],
    )
    assert.deepEqual(s.plans.map((p) => [p.kind, p.startedOn, p.category, p.nextReviewOn]), [['child-protection', '2026-10-20', 'EMO', '2027-01-20']])
    // The latest visit up to today, whether or not the child was seen.
    assert.deepEqual(s.lastVisit && [s.lastVisit.occurredOn, s.lastVisit.title, s.lastVisit.childSeen], ['2026-11-15', 'Visit, nobody in', false])
    assert.equal(view.due?.lastSeenOn, '2026-11-10')
    assert.equal(s.latestNotes.total, 5)
    assert.deepEqual(s.latestNotes.items.map((n) => [n.occurredOn, n.title, n.recordedByName]), [
      ['2026-11-25', 'Planned visit (future)', worker.displayName],
      ['2026-11-18', 'Strategy notes', worker.displayName],
      ['2026-11-15', 'Visit, nobody in', worker.displayName],
    ])
    assert.equal(s.openTasks.total, 5)
    assert.deepEqual(s.openTasks.items.map((t) => [t.title, t.dueState, t.assignee]), [
      ['Overdue task', 'overdue', worker.displayName],
      ['Soon task', 'due', worker.displayName],
      ['Next task', 'due', worker.displayName],
    ])
    assert.deepEqual(s.alerts, { restricted: false, workerSafety: null, communicationNeeds: null, version: 1 })
    assert.equal(view.mayUpdate, true)
  })

  test('an empty record summarises as empty; the overview is one audited read of the case', async () => {
    const reader = await world.user(['partner-practitioner'], { agency: 'school', team: null })
    await world.team('no-managers', 'council')
    const { caseId } = await world.childCase({ team: 'no-managers' })
    await world.involve(caseId, 'school', '2026-10-01')
    const requestId = `summary-${Date.now()}`
    const ctx: ServiceContext = { ...world.ctx(reader), requestId }
    const view = await caseOverview(ctx, caseId)
    const s = view.summary
    assert.equal(s.address, null)
    assert.deepEqual([s.household, s.parentsAndCarersElsewhere, s.teamManagers, s.plans], [[], [], [], []])
    assert.equal(s.allocatedWorker, null)
    assert.equal(s.lastVisit, null)
    assert.deepEqual([s.latestNotes, s.openTasks], [{ items: [], total: 0 }, { items: [], total: 0 }])
    assert.deepEqual(s.agencies.map((a) => [a.involvement, a.contacts]), [['involved', []]])
    assert.equal(view.mayUpdate, false, 'a partner reads the case but does not change it')
    const entries = await database.db.select().from(auditEvent).where(eq(auditEvent.requestId, requestId))
    assert.deepEqual(entries.map((e) => [e.action, e.recordId]), [['case.view', caseId]])
  })
})

describe('the case alerts', () => {
  test('set by the worker: shown in the summary, versioned, audited as case.alerts with a revision', async () => {
    const { caseId, ctx } = await fullCase()
    const form = await caseAlertsForm(ctx, caseId)
    assert.deepEqual([form.workerSafety, form.communicationNeeds, form.version], [null, null, 1])
    const saved = await setCaseAlerts(ctx, caseId, caseAlertsInput.parse({ workerSafety: '  Large dog at the address: visit in pairs. ', communicationNeeds: 'Mother speaks Polish: book an interpreter.', version: '1' }))
    assert.deepEqual(saved, { workerSafety: 'Large dog at the address: visit in pairs.', communicationNeeds: 'Mother speaks Polish: book an interpreter.', version: 2 })
    const s = (await caseOverview(ctx, caseId)).summary
    assert.deepEqual(s.alerts, { restricted: false, workerSafety: 'Large dog at the address: visit in pairs.', communicationNeeds: 'Mother speaks Polish: book an interpreter.', version: 2 })
    const [entry] = await database.db.select().from(auditEvent).where(and(eq(auditEvent.recordId, caseId), eq(auditEvent.action, 'case.alerts')))
    assert.equal(entry?.ground, 'allocated-worker')
    assert.deepEqual(entry?.detail, { fields: ['workerSafety', 'communicationNeeds'] })
    const revisions = await database.db.select().from(recordRevision).where(and(eq(recordRevision.entityId, caseId), eq(recordRevision.entity, 'case')))
    assert.equal(revisions.at(-1)?.version, 2)
    // Emptied: no alert of that kind.
    await setCaseAlerts(ctx, caseId, caseAlertsInput.parse({ workerSafety: '', communicationNeeds: 'Mother speaks Polish.', version: 2 }))
    const [row] = await database.db.select().from(childCase).where(eq(childCase.id, caseId))
    assert.deepEqual([row!.workerSafety, row!.communicationNeeds, row!.version], [null, 'Mother speaks Polish.', 3])
  })

  test('a stale version is an edit conflict carrying the saved alerts; nothing is overwritten', async () => {
    const { caseId, ctx } = await fullCase()
    await setCaseAlerts(ctx, caseId, caseAlertsInput.parse({ workerSafety: 'First', version: 1 }))
    await assert.rejects(
      setCaseAlerts(ctx, caseId, caseAlertsInput.parse({ workerSafety: 'Second', version: 1 })),
      (err: unknown) => err instanceof EditConflict && (err.current as { workerSafety?: string }).workerSafety === 'First',
    )
    const [row] = await database.db.select().from(childCase).where(eq(childCase.id, caseId))
    assert.equal(row!.workerSafety, 'First')
  })

  test('refused to someone who may only read the case, audited; too long is refused on its field', async () => {
    const { caseId } = await fullCase()
    const reader = await world.user(['partner-practitioner'], { agency: 'school', team: null })
    const ctx = world.ctx(reader, FIXED_NOW)
    await assert.rejects(caseAlertsForm(ctx, caseId), AccessDenied)
    await assert.rejects(setCaseAlerts(ctx, caseId, caseAlertsInput.parse({ workerSafety: 'x', version: 1 })), AccessDenied)
    const refusals = await database.db.select().from(auditEvent).where(and(eq(auditEvent.recordId, caseId), eq(auditEvent.actorUserId, reader.userId)))
    assert.deepEqual(refusals.map((e) => e.action), ['case.update.refused', 'case.update.refused'])
    const tooLong = caseAlertsInput.safeParse({ workerSafety: 'x'.repeat(1001), version: 1 })
    assert.equal(tooLong.success, false)
    assert.match(tooLong.error!.issues[0]!.message, /Risks to workers must be 1000 characters or fewer/i)
  })
})
