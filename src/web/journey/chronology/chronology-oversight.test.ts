import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { eq } from 'drizzle-orm'
import type { TestDatabase } from '../../../../test/support/database.ts'
import { FIXED_NOW, PASSWORD, World } from '../../../../test/support/fixtures.ts'
import { assessment, caseNote, childCase, cinEpisode, clock, task } from '../../../db/schema/index.ts'
import { createRecord, updateRecord, withCase } from '../../../services/journey/case-records.ts'
import type { Actor } from '../../../services/common/context.ts'
import { $, openTestApp, csrfFrom, signIn, submitForm, type TestApp } from '../../../../test/support/web.ts'

let database: TestDatabase
let world: World
let app: TestApp
before(async () => ({ database, world, app } = await openTestApp(FIXED_NOW)))
after(() => database.close())

type Row = { id: string; version: number }
const at = (iso: string) => new Date(iso)

async function signedIn(user: { email: string }) {
  const agent = app.agent()
  await signIn(agent, user.email, PASSWORD)
  return agent
}

async function apiToken(agent: ReturnType<TestApp['agent']>) {
  return (await agent.get('/api/v1/me').expect(200)).body.csrfToken as string
}

/** A case with a referral, an assessment completed with one outcome then corrected, and a late case note. */
async function caseWithHistory(worker: Actor) {
  const { caseId } = await world.childCase({ worker: worker.userId, givenName: 'Robin', familyName: 'Fictional' })
  const write = (when: string, work: Parameters<typeof withCase<Row>>[3]) =>
    withCase<Row>(world.ctx(worker, at(when)), caseId, 'case:update', work)
  const ctxAt = (when: string) => world.ctx(worker, at(when))
  const episode = await write('2026-03-02T10:00:00Z', (tx, open) =>
    createRecord<Row>(ctxAt('2026-03-02T10:00:00Z'), tx, open, 'cin-episode', cinEpisode, { referralDate: '2026-03-02', referralSource: '6' }),
  )
  const started = await write('2026-03-03T10:00:00Z', (tx, open) =>
    createRecord<Row>(ctxAt('2026-03-03T10:00:00Z'), tx, open, 'assessment', assessment, {
      episodeId: episode.id,
      kind: 'single',
      startedOn: '2026-03-03',
      completedOn: '2026-03-19',
      outcome: 'nfa',
    }),
  )
  await write('2026-04-02T10:00:00Z', (tx, open) =>
    updateRecord<Row>(ctxAt('2026-04-02T10:00:00Z'), tx, open, 'assessment', assessment, started.id, started.version, { outcome: 'cin-plan' }),
  )
  await write('2026-04-03T10:00:00Z', (tx, open) =>
    createRecord<Row>(ctxAt('2026-04-03T10:00:00Z'), tx, open, 'case-note', caseNote, {
      kind: 'visit',
      occurredOn: '2026-04-01',
      title: 'Home visit',
      body: 'Robin showed me their room.',
      childSeen: true,
    }),
  )
  return caseId
}

const rowTitles = (html: string) =>
  $(html)('[data-qa=chronology] tbody tr td:nth-child(2) a, [data-qa=chronology] tbody tr td:nth-child(2) strong')
    .map((_, el) => $(html)(el).text().trim())
    .get()

describe('the chronology page and API', () => {
  let worker: Actor & { email: string }
  let caseId: string
  before(async () => {
    worker = await world.user(['social-worker'])
    caseId = await caseWithHistory(worker)
  })

  test('lists every entry in date order, each linking to its record, within the case frame', async () => {
    const agent = await signedIn(worker)
    const res = await agent.get(`/cases/${caseId}/chronology`).expect(200)
    const page = $(res.text)
    assert.deepEqual(rowTitles(res.text), [
      'Referral from Police',
      'Child and family (single) assessment started',
      'Child and family (single) assessment completed: child in need plan',
      'Visit: Home visit',
    ])
    assert.equal(page('.app-case-nav [aria-current=page]').text().trim(), 'Chronology')
    assert.match(page('[data-qa=chronology] a').eq(1).attr('href')!, new RegExp(`^/cases/${caseId}/assessments/`))
    assert.equal(page('[data-qa=chronology] a').eq(3).attr('href'), `/cases/${caseId}/notes`)
    assert.match(page('[data-qa=chronology] tbody tr').first().text(), new RegExp(worker.displayName))
    assert.equal(page('title').text().trim(), 'Chronology: Robin Fictional – Together')
  })

  test('filters by kind and shows the chronology as known at a date', async () => {
    const agent = await signedIn(worker)
    const kinds = await agent.get(`/cases/${caseId}/chronology?kinds=assessment`).expect(200)
    assert.deepEqual(rowTitles(kinds.text), [
      'Child and family (single) assessment started',
      'Child and family (single) assessment completed: child in need plan',
    ])
    assert.equal($(kinds.text)('input[name=kinds][value=assessment]').attr('checked'), 'checked')

    const past = await agent.get(`/cases/${caseId}/chronology?asKnownAt-day=25&asKnownAt-month=3&asKnownAt-year=2026`).expect(200)
    assert.deepEqual(rowTitles(past.text), [
      'Referral from Police',
      'Child and family (single) assessment started',
      'Child and family (single) assessment completed: no further action',
    ])
    assert.match($(past.text)('[data-qa=as-known-at]').text(), /25 March 2026/)
  })

  test('a date that is not real is reported in the error summary, and the rest still shows', async () => {
    const agent = await signedIn(worker)
    const res = await agent.get(`/cases/${caseId}/chronology?asKnownAt-day=31&asKnownAt-month=2&asKnownAt-year=2026&kinds=visit`).expect(400)
    const page = $(res.text)
    assert.deepEqual(
      page('.govuk-error-summary a').map((_, a) => [[page(a).attr('href'), page(a).text().trim()]]).get(),
      [['#asKnownAt', '“As known at” must be a real date']],
    )
    assert.equal(page('#asKnownAt-day').val(), '31')
    assert.deepEqual(rowTitles(res.text), ['Visit: Home visit'])
  })

  test('the print version states its filters and leaves out the case navigation and links', async () => {
    const agent = await signedIn(worker)
    const screen = await agent.get(`/cases/${caseId}/chronology?kinds=assessment&kinds=visit`).expect(200)
    const printHref = $(screen.text)('[data-qa=print-link]').attr('href')!
    assert.equal(printHref, `/cases/${caseId}/chronology?kinds=assessment&kinds=visit&print=1`)
    const res = await agent.get(printHref).expect(200)
    const page = $(res.text)
    assert.equal(page('.app-case-nav').length, 0)
    assert.equal(page('form[data-qa=chronology-filters]').length, 0)
    assert.equal(page('[data-qa=chronology] a').length, 0)
    const stated = page('[data-qa=filters-stated]').text().replace(/\s+/g, ' ')
    assert.match(stated, /Kinds of entry Assessments, Visits/)
    assert.match(stated, /As known at Everything recorded up to now/)
    assert.match(stated, /Entries shown 3 of 4/)
    assert.equal(page('[data-qa=back-to-chronology]').attr('href'), `/cases/${caseId}/chronology?kinds=assessment&kinds=visit`)
  })

  test('an agency of another partnership is no such agency: the filter is left out with a message (page) or refused (API)', async () => {
    const other = await World.create(database.db)
    const foreign = other.agencies.council!
    const agent = await signedIn(worker)
    const own = await agent.get(`/cases/${caseId}/chronology?agency=${worker.agencyId}`).expect(200)
    assert.equal(rowTitles(own.text).length, 4, 'an agency of the partnership filters')
    const res = await agent.get(`/cases/${caseId}/chronology?agency=${foreign}&kinds=assessment`)
    assert.equal(res.status, 400)
    const page = $(res.text)
    assert.equal(page('.govuk-error-summary a[href="#agency"]').text().trim(), 'Choose an agency from the list')
    assert.equal(rowTitles(res.text).length, 2, 'the other filters still apply; the agency is left out')
    assert.equal(page('select[name=agency] option[selected]').attr('value') ?? '', '')
    const api = await agent.get(`/api/v1/cases/${caseId}/chronology?agency=${foreign}`).expect(422)
    assert.equal(api.body.errors.agency, 'Choose an agency from the list')
  })

  test('someone with no relationship to the case is refused', async () => {
    const partner = await world.user(['partner-practitioner'], { agency: 'police', team: null })
    const agent = await signedIn(partner)
    await agent.get(`/cases/${caseId}/chronology`).expect(403)
    await agent.get(`/api/v1/cases/${caseId}/chronology`).expect(403)
  })

  test('GET /api/v1/cases/:caseId/chronology answers JSON, as known at a date and filtered', async () => {
    const agent = await signedIn(worker)
    const all = await agent.get(`/api/v1/cases/${caseId}/chronology`).expect(200)
    assert.equal(all.body.caseId, caseId)
    assert.equal(all.body.total, 4)
    assert.deepEqual(all.body.agencies, [{ id: worker.agencyId, name: all.body.entries[0].agency }])
    const past = await agent.get(`/api/v1/cases/${caseId}/chronology?asKnownAt=2026-03-25&kinds=assessment`).expect(200)
    assert.equal(past.body.asKnownAt, '2026-03-25')
    assert.deepEqual(
      past.body.entries.map((e: { date: string; title: string }) => [e.date, e.title]),
      [
        ['2026-03-03', 'Child and family (single) assessment started'],
        ['2026-03-19', 'Child and family (single) assessment completed: no further action'],
      ],
    )
    const bad = await agent.get(`/api/v1/cases/${caseId}/chronology?asKnownAt=25-03-2026`).expect(422)
    assert.ok(bad.body.errors.asKnownAt)
    const openapi = await agent.get('/api/v1/openapi.json').expect(200)
    assert.deepEqual(openapi.body.paths['/cases/{caseId}/chronology'].get.tags, ['Chronology'])
  })
})

describe('caseload, team view and allocation', () => {
  let teamKey: string
  let manager: Actor & { email: string }
  let ann: Actor & { email: string }
  let bob: Actor & { email: string }
  let annCase: string
  let unallocated: string
  before(async () => {
    teamKey = 'web-oversight'
    await world.team(teamKey, 'council')
    manager = await world.user(['team-manager'], { team: teamKey })
    ann = await world.user(['social-worker'], { team: teamKey })
    bob = await world.user(['social-worker'], { team: teamKey })
    annCase = (await world.childCase({ team: teamKey, worker: ann.userId, givenName: 'Ash', familyName: 'Overdue' })).caseId
    unallocated = (await world.childCase({ team: teamKey, givenName: 'Nova', familyName: 'Waiting' })).caseId
    const [k] = await database.db
      .insert(clock)
      .values({
        partnershipId: world.partnershipId,
        caseId: annCase,
        rule: 'assessment',
        edition: 2023,
        startOn: '2026-09-01',
        dueOn: '2026-11-03',
        delayReason: 'Family abroad for a month',
        subjectType: 'cin-episode',
        subjectId: annCase,
      })
      .returning()
    await database.db.insert(task).values({
      partnershipId: world.partnershipId,
      caseId: annCase,
      clockId: k!.id,
      title: 'Complete the assessment',
      dueOn: '2026-11-03',
      assigneeUserId: ann.userId,
    })
  })

  test('/caseload lists the worker’s cases with their timescales; so does the API', async () => {
    const agent = await signedIn(ann)
    const res = await agent.get('/caseload').expect(200)
    const page = $(res.text)
    const row = page('[data-qa=caseload-case]').first()
    assert.match(row.text(), /Ash Overdue/)
    assert.equal(row.find('a').attr('href'), `/cases/${annCase}`)
    assert.match(row.text(), /1 overdue/)
    assert.match(row.text(), /Reason: Family abroad for a month/)
    const api = await agent.get('/api/v1/caseload').expect(200)
    assert.deepEqual(
      api.body.items.map((c: { caseId: string; overdue: number }) => [c.caseId, c.overdue]),
      [[annCase, 1]],
    )
    assert.deepEqual([api.body.total, api.body.overdueCases, api.body.offset, api.body.limit], [1, 1, 0, 25])
  })

  test('/team shows allocation, unallocated cases and overdue clocks with reasons; the API too', async () => {
    const agent = await signedIn(manager)
    const res = await agent.get('/team').expect(200)
    const page = $(res.text)
    assert.match(page(`[data-qa=worker-${ann.userId}]`).text(), /1/)
    assert.match(page('[data-qa=unallocated-count]').text(), /1/)
    assert.equal(page('[data-qa=unallocated] a').first().attr('href'), `/cases/${unallocated}`)
    assert.equal(page('[data-qa=unallocated] a').eq(1).attr('href'), `/cases/${unallocated}/allocation`)
    const overdue = page('[data-qa=overdue] tbody tr').first()
    assert.equal(overdue.find('a').attr('href'), `/cases/${annCase}`)
    assert.match(overdue.text(), /Overdue by/)
    assert.match(overdue.text(), /Reason: Family abroad for a month/)
    assert.match(page('[data-qa=due-this-week] caption').text(), /16 November 2026 to 22 November 2026/)

    const api = await agent.get(`/api/v1/team?worker=${ann.userId}`).expect(200)
    assert.equal(api.body.unallocatedCount, 1)
    assert.deepEqual(api.body.worker.cases.items.map((c: { caseId: string }) => c.caseId), [annCase])
    assert.equal(api.body.overdue.items[0].clock.delayReason, 'Family abroad for a month')
  })

  test('only team managers see /team', async () => {
    const agent = await signedIn(ann)
    const res = await agent.get('/team').expect(403)
    assert.match(res.text, /Your role does not allow this/)
    await agent.get('/api/v1/team').expect(403)
  })

  test('a manager allocates a case through the form; a stale form is refused showing both versions', async () => {
    const agent = await signedIn(manager)
    const form = await agent.get(`/cases/${unallocated}/allocation`).expect(200)
    assert.equal($(form.text)('input[name=version]').val(), '1')
    const done = await submitForm(agent, `/cases/${unallocated}/allocation`, `/cases/${unallocated}/allocation`, {
      workerId: bob.userId,
      version: '1',
    })
    assert.equal(done.status, 302)
    assert.equal(done.headers.location, '/team?allocated=1')
    const banner = await agent.get('/team?allocated=1').expect(200)
    assert.match($(banner.text)('.govuk-notification-banner').text(), /The case was allocated/)
    const [stored] = await database.db.select().from(childCase).where(eq(childCase.id, unallocated))
    assert.equal(stored!.allocatedWorkerId, bob.userId)

    const stale = await agent
      .post(`/cases/${unallocated}/allocation`)
      .type('form')
      .send({ workerId: ann.userId, version: '1', _csrf: csrfFrom(form.text) })
      .expect(409)
    const page = $(stale.text)
    assert.match(page('.govuk-error-summary').text(), /Someone else changed this case’s allocation/)
    const conflict = page('[data-qa=allocation-conflict]').text().replace(/\s+/g, ' ')
    assert.match(conflict, new RegExp(`You chose ${ann.displayName}`))
    assert.match(conflict, new RegExp(`Allocated now ${bob.displayName} \\(case version 2\\)`))
    assert.equal(page('input[name=version]').val(), '2')
    assert.equal(page(`input[name=workerId][value=${ann.userId}]`).attr('checked'), 'checked')
  })

  test('choosing nobody is an error linked to the radios', async () => {
    const agent = await signedIn(manager)
    const res = await submitForm(agent, `/cases/${annCase}/allocation`, `/cases/${annCase}/allocation`, { version: '1' })
    assert.equal(res.status, 400)
    const page = $(res.text)
    assert.equal(page('.govuk-error-summary a').attr('href'), '#workerId')
    assert.equal(page('#workerId').attr('name'), 'workerId')
  })

  test('POST /api/v1/cases/:caseId/allocation allocates, moves open clock tasks, and refuses a stale version', async () => {
    const agent = await signedIn(manager)
    const token = await apiToken(agent)
    const [current] = await database.db.select().from(childCase).where(eq(childCase.id, annCase))
    const res = await agent
      .post(`/api/v1/cases/${annCase}/allocation`)
      .set('x-csrf-token', token)
      .send({ workerId: bob.userId, version: current!.version })
      .expect(200)
    assert.deepEqual(res.body, {
      caseId: annCase,
      allocatedWorkerId: bob.userId,
      workerName: bob.displayName,
      version: current!.version + 1,
      tasksReassigned: 1,
      permission: null,
    })
    const [moved] = await database.db.select().from(task).where(eq(task.caseId, annCase))
    assert.equal(moved!.assigneeUserId, bob.userId)
    const stale = await agent
      .post(`/api/v1/cases/${annCase}/allocation`)
      .set('x-csrf-token', token)
      .send({ workerId: ann.userId, version: current!.version })
      .expect(409)
    assert.match(stale.body.detail, /Someone else changed this case/)
    await agent.post(`/api/v1/cases/${annCase}/allocation`).set('x-csrf-token', token).send({ workerId: 'nobody' }).expect(422)
    const worker = await signedIn(ann)
    await worker
      .post(`/api/v1/cases/${annCase}/allocation`)
      .set('x-csrf-token', await apiToken(worker))
      .send({ workerId: ann.userId, version: current!.version + 1 })
      .expect(403)
  })
})

describe('transferring a case to another team', () => {
  let fromManager: Actor & { email: string }
  let toManager: Actor & { email: string }
  let worker: Actor & { email: string }
  let toTeam: string
  before(async () => {
    await world.team('web-transfer-from', 'council')
    toTeam = await world.team('web-transfer-to', 'council')
    fromManager = await world.user(['team-manager'], { team: 'web-transfer-from' })
    toManager = await world.user(['team-manager'], { team: 'web-transfer-to' })
    worker = await world.user(['social-worker'], { team: 'web-transfer-from' })
  })
  const newCase = async () => (await world.childCase({ team: 'web-transfer-from', worker: worker.userId, givenName: 'Kit', familyName: 'Moving' })).caseId

  test('the case overview offers the transfer to its team’s manager only; the form transfers it to the receiving team’s list', async () => {
    const caseId = await newCase()
    const agent = await signedIn(fromManager)
    const overview = $((await agent.get(`/cases/${caseId}`).expect(200)).text)
    assert.equal(overview('[data-qa=transfer-link]').attr('href'), `/cases/${caseId}/transfer`)
    const asWorker = await signedIn(worker)
    assert.equal($((await asWorker.get(`/cases/${caseId}`).expect(200)).text)('[data-qa=transfer-link]').length, 0)
    await asWorker.get(`/cases/${caseId}/transfer`).expect(403)

    const form = $((await agent.get(`/cases/${caseId}/transfer`).expect(200)).text)
    assert.ok(form(`#teamId option[value=${toTeam}]`).length, 'the receiving team is offered')
    assert.equal(form(`#teamId option[value=${world.teams['web-transfer-from']}]`).length, 0, 'not the case’s own team')
    const missing = await submitForm(agent, `/cases/${caseId}/transfer`, `/cases/${caseId}/transfer`, { version: '1', teamId: '', reason: '' })
    assert.equal(missing.status, 400)
    const summary = $(missing.text)
    assert.deepEqual(summary('.govuk-error-summary a').map((_, a) => summary(a).attr('href')).get(), ['#teamId', '#reason'])

    const done = await submitForm(agent, `/cases/${caseId}/transfer`, `/cases/${caseId}/transfer`, {
      version: '1',
      teamId: toTeam,
      reason: 'The family moved into the area the receiving team covers.',
    })
    assert.equal(done.status, 302)
    assert.equal(done.headers.location, '/team?transferred=1')
    assert.match($((await agent.get('/team?transferred=1').expect(200)).text)('.govuk-notification-banner').text(), /The case was transferred/)
    await agent.get(`/cases/${caseId}`).expect(403)

    const receiving = await signedIn(toManager)
    const team = $((await receiving.get('/team').expect(200)).text)
    assert.ok(team(`[data-qa=unallocated] a[href="/cases/${caseId}/allocation"]`).length, 'in the receiving team’s unallocated list')
    const chronology = $((await receiving.get(`/cases/${caseId}/chronology`).expect(200)).text)
    assert.match(chronology('[data-qa=entry-case]').text().replace(/\s+/g, ' '), /Case transferred from web-transfer-from \w+ to web-transfer-to \w+/)
  })

  test('a stale transfer form is refused showing the case as it is now', async () => {
    const caseId = await newCase()
    const agent = await signedIn(fromManager)
    const form = await agent.get(`/cases/${caseId}/transfer`).expect(200)
    await database.db.update(childCase).set({ version: 2, allocatedWorkerId: null }).where(eq(childCase.id, caseId))
    const stale = await agent
      .post(`/cases/${caseId}/transfer`)
      .type('form')
      .send({ version: '1', teamId: toTeam, reason: 'Moving on.', _csrf: csrfFrom(form.text) })
      .expect(409)
    const page = $(stale.text)
    assert.equal(page('.govuk-error-summary a').attr('href'), '#teamId')
    const conflict = page('[data-qa=transfer-conflict]').text().replace(/\s+/g, ' ')
    assert.match(conflict, /You chose web-transfer-to \w+/)
    assert.match(conflict, /Team now web-transfer-from \w+ \(case version 2\)/)
    assert.match(conflict, /Allocated now nobody/)
    assert.equal(page('input[name=version]').val(), '2')
    assert.equal(page(`#teamId option[value=${toTeam}]`).attr('selected'), 'selected')
  })

  test('GET and POST /api/v1/cases/:caseId/transfer: the teams, then the transfer; a stale version is a conflict', async () => {
    const caseId = await newCase()
    const agent = await signedIn(fromManager)
    const token = await apiToken(agent)
    const options = await agent.get(`/api/v1/cases/${caseId}/transfer`).expect(200)
    assert.equal(options.body.version, 1)
    assert.ok(options.body.teams.some((t: { id: string }) => t.id === toTeam))
    const stale = await agent.post(`/api/v1/cases/${caseId}/transfer`).set('x-csrf-token', token).send({ teamId: toTeam, reason: 'Moving.', version: 9 }).expect(409)
    assert.match(stale.body.detail, /Someone else changed this case/)
    const res = await agent.post(`/api/v1/cases/${caseId}/transfer`).set('x-csrf-token', token).send({ teamId: toTeam, reason: 'Moving.', version: 1 }).expect(200)
    assert.deepEqual([res.body.teamId, res.body.version, res.body.transfer.reason], [toTeam, 2, 'Moving.'])
    const spec = await agent.get('/api/v1/openapi.json').expect(200)
    assert.ok(spec.body.paths['/cases/{caseId}/transfer']?.post, 'the transfer is in the OpenAPI document')
  })
})
