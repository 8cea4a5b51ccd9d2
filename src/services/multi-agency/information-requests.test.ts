import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { eq } from 'drizzle-orm'
import type { TestDatabase } from '../../../test/support/database.ts'
import { openTestWorld, World } from '../../../test/support/fixtures.ts'
import { agency, informationRequest, partnership, task } from '../../db/schema/index.ts'
import { AccessDenied, NotFound, ValidationFailed } from '../common/context.ts'
import { LogEmailProvider } from './email/provider.ts'
import { informationAnswerInput, informationRequestInput } from './information-requests-input.ts'
import {
  answerRequest,
  incomingRequests,
  requestDueAt,
  requestsOfCase,
  responseDashboard,
  sendInformationRequest,
  setRequestDeadlines,
  viewRequest,
} from './information-requests.ts'
import { runJobs } from '../common/jobs.ts'
import { myNotifications } from './notifications.ts'
import { chronology } from '../journey/chronology.ts'

let database: TestDatabase
let world: World
before(async () => {
  ({ database, world } = await openTestWorld())
  await world.agency('health', 'health-trust')
})
after(() => database.close())

const ask = (toAgencyId: string, personIds: string[], urgency = 'amber') =>
  informationRequestInput.parse({ toAgencyId, personIds, question: 'What do you know of the family?', urgency })

describe('information requests', () => {
  test('deadlines: red 4 hours, amber 1 working day, green 3 working days (same time of day), set per partnership', async () => {
    const friday = new Date('2026-11-20T10:00:00Z')
    const d = { redHours: 4, amberWorkingDays: 1, greenWorkingDays: 3 }
    assert.equal(requestDueAt('red', friday, d).toISOString(), '2026-11-20T14:00:00.000Z')
    assert.equal(requestDueAt('amber', friday, d).toISOString(), '2026-11-23T10:00:00.000Z')
    assert.equal(requestDueAt('green', friday, d).toISOString(), '2026-11-25T10:00:00.000Z')
    const admin = await world.user(['administrator'], { team: null })
    await setRequestDeadlines(world.ctx(admin), { redHours: 2, amberWorkingDays: 2, greenWorkingDays: 5 }, 0)
    const frontDoor = await world.user(['front-door-practitioner'], { team: 'assessment' })
    const child = await world.childCase()
    const other = await world.agency('probation', 'probation')
    const sent = await sendInformationRequest(world.ctx(frontDoor), child.caseId, ask(other, [child.personId], 'red'))
    assert.equal(sent.dueAt.toISOString(), '2026-11-20T12:00:00.000Z')
    await database.db.update(informationRequest).set({ status: 'withdrawn' }).where(eq(informationRequest.id, sent.id))
    await setRequestDeadlines(world.ctx(admin), { redHours: 4, amberWorkingDays: 1, greenWorkingDays: 3 }, 1)
  })

  test('police answers: the answer lands in the chronology, the requester is told; health goes overdue and is reminded then escalated once', async () => {
    const worker = await world.user(['social-worker'])
    const manager = await world.user(['team-manager'])
    const officer = await world.user(['partner-practitioner'], { agency: 'police', team: null })
    const nurse = await world.user(['partner-practitioner'], { agency: 'health', team: null })
    const child = await world.childCase({ worker: worker.userId, givenName: 'Asked' })
    const ctx = world.ctx(worker)
    const toPolice = await sendInformationRequest(ctx, child.caseId, ask(world.agencies.police!, [child.personId]))
    const toHealth = await sendInformationRequest(ctx, child.caseId, ask(world.agencies.health!, [child.personId], 'red'))

    const policeList = (await incomingRequests(world.ctx(officer))).items
    assert.deepEqual(policeList.map((r) => r.id), [toPolice.id], 'an agency sees only its own requests')
    assert.equal(policeList[0]!.people[0]!.givenName, 'Asked')
    await assert.rejects(viewRequest(world.ctx(officer), toHealth.id), AccessDenied, 'not addressed to the police, and no access to the case')
    await assert.rejects(answerRequest(world.ctx(officer), toHealth.id, informationAnswerInput.parse({ held: 'no', version: 1 })), NotFound)
    await answerRequest(world.ctx(officer), toPolice.id, informationAnswerInput.parse({ held: 'yes', information: 'Two call-outs to the address in 2026 (fictional).', version: 1 }))
    assert.ok((await myNotifications(ctx)).some((n) => n.kind === 'information-request-answered'))
    const entries = (await chronology(ctx, child.caseId)).entries.map((e) => e.title)
    assert.ok(entries.some((t) => /answered: information held/.test(t)), entries.join(' | '))

    const provider = new LogEmailProvider({ info: () => {} })
    const run = (at: string) => runJobs(database.db, { now: new Date(at), emailProvider: provider, baseUrl: 'http://x' })
    const early = await run('2026-11-20T13:00:00Z')
    assert.deepEqual(early.requests, { reminded: 0, escalated: 0 })
    const due = await run('2026-11-20T14:30:00Z')
    assert.deepEqual(due.requests, { reminded: 1, escalated: 0 })
    assert.ok((await myNotifications(world.ctx(nurse))).some((n) => n.kind === 'information-request-reminder'))
    const late = await run('2026-11-20T18:30:00Z')
    assert.deepEqual(late.requests, { reminded: 0, escalated: 1 })
    assert.deepEqual((await run('2026-11-21T18:30:00Z')).requests, { reminded: 0, escalated: 0 }, 'never twice')
    assert.ok((await myNotifications(ctx)).some((n) => n.kind === 'information-request-escalated'))
    assert.ok((await myNotifications(world.ctx(manager))).some((n) => n.kind === 'information-request-escalated'), 'the team manager is told')
    const chase = await database.db.select().from(task).where(eq(task.caseId, child.caseId))
    assert.ok(chase.some((t) => /^Chase .*information request overdue$/.test(t.title) && t.assigneeUserId === worker.userId))
    const page = await requestsOfCase(ctx, child.caseId)
    assert.ok(page.requests.find((r) => r.id === toHealth.id)!.escalatedAt)

    const fd = await world.user(['front-door-practitioner'], { team: 'front-door' })
    const dashboard = await responseDashboard(world.ctx(fd, new Date('2026-11-21T09:00:00Z')))
    const police = dashboard.find((a) => a.agencyId === world.agencies.police)!
    assert.equal(police.answered, 1)
    assert.equal(dashboard.find((a) => a.agencyId === world.agencies.health)!.openOverdue, 1)
  })

  test('a request to an agency outside the partnership is refused with a clear message', async () => {
    const worker = await world.user(['social-worker'])
    const child = await world.childCase({ worker: worker.userId })
    const [elsewhere] = await database.db.insert(partnership).values({ name: 'Elsewhere partnership' }).returning()
    const [outside] = await database.db.insert(agency).values({ partnershipId: elsewhere!.id, name: 'Elsewhere police', type: 'police' }).returning()
    await assert.rejects(sendInformationRequest(world.ctx(worker), child.caseId, ask(outside!.id, [child.personId])), (err) => {
      assert.ok(err instanceof ValidationFailed)
      assert.match(err.fieldErrors.toAgencyId!, /not part of this partnership/)
      return true
    })
    assert.equal((await database.db.select().from(informationRequest).where(eq(informationRequest.toAgencyId, outside!.id))).length, 0)
  })
})
