import { CARE_START, CARE_START_FORM } from '../../../../test/support/care.ts'
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { eq } from 'drizzle-orm'
import type supertest from 'supertest'
import type { TestDatabase } from '../../../../test/support/database.ts'
import { FIXED_NOW, PASSWORD, World } from '../../../../test/support/fixtures.ts'
import { clock, person, task } from '../../../db/schema/index.ts'
import type { Role } from '../../../domain/access/roles.ts'
import { $, openTestApp, signIn, submitForm, type TestApp } from '../../../../test/support/web.ts'

let database: TestDatabase
let world: World
let app: TestApp
before(async () => ({ database, world, app } = await openTestApp(FIXED_NOW)))
after(() => database.close())

interface Session {
  agent: supertest.Agent
  user: Awaited<ReturnType<World['user']>>
  csrf: string
}

async function signedIn(roles: Role[] = ['social-worker'], options: { team?: string } = {}): Promise<Session> {
  const user = await world.user(roles, options)
  const agent = app.agent()
  await signIn(agent, user.email, PASSWORD)
  const me = await agent.get('/api/v1/me').expect(200)
  return { agent, user, csrf: me.body.csrfToken as string }
}

/** A social worker signed in, with a case allocated to them. */
async function workerWithCase(givenName = 'Webby') {
  const s = await signedIn()
  const { caseId, personId } = await world.childCase({ worker: s.user.userId, givenName })
  return { ...s, caseId, personId }
}

const dateFields = (name: string, iso: string) => {
  const [y, m, d] = iso.split('-')
  return { [`${name}-day`]: String(Number(d)), [`${name}-month`]: String(Number(m)), [`${name}-year`]: y! }
}

const errorLinks = (html: string) => {
  const page = $(html)
  return page('.govuk-error-summary__list a').map((_, a) => page(a).attr('href')).get()
}

describe('notes and visits pages', () => {
  test('a visit added through the form is listed, newest first, and can be filtered by kind', async () => {
    const { agent, caseId } = await workerWithCase()
    const list = await agent.get(`/cases/${caseId}/notes`).expect(200)
    assert.equal($(list.text)('a[aria-current=page]').text().trim(), 'Notes and visits')
    const form = `/cases/${caseId}/notes/new`
    const added = await submitForm(agent, form, form, {
      kind: 'visit',
      ...dateFields('occurredOn', '2026-11-18'),
      title: 'Home visit',
      body: 'Seen in her room.\nShowed me her drawings.',
      childSeen: 'yes',
      childSeenAlone: 'yes',
    })
    assert.equal(added.status, 302)
    assert.equal(added.headers.location, `/cases/${caseId}/notes?saved=added`)
    await submitForm(agent, form, form, { kind: 'note', ...dateFields('occurredOn', '2026-11-19'), title: 'Call from school', body: 'Attendance fine.' })
    const page = $((await agent.get(`/cases/${caseId}/notes`).expect(200)).text)
    assert.deepEqual(page('[data-qa=note] .govuk-summary-card__title').map((_, e) => page(e).text().trim()).get(), ['Call from school', 'Home visit'])
    assert.match(page('[data-qa=note]').last().text(), /Yes, and seen alone/)
    assert.equal(page('[data-qa=note]').last().find('br').length, 1, 'line breaks in the note are kept')
    const visits = $((await agent.get(`/cases/${caseId}/notes?kind=visit`).expect(200)).text)
    assert.equal(visits('[data-qa=note]').length, 1)
  })

  test('an incomplete form shows the error summary linked to each field, keeping what was typed', async () => {
    const { agent, caseId } = await workerWithCase()
    const form = `/cases/${caseId}/notes/new`
    const res = await submitForm(agent, form, form, { kind: 'visit', 'occurredOn-day': '31', 'occurredOn-month': '2', 'occurredOn-year': '2026', title: '', body: 'Kept text' })
    assert.equal(res.status, 400)
    assert.deepEqual(errorLinks(res.text), ['#occurredOn-day', '#title', '#childSeen'])
    assert.match(res.text, /The date it happened must be a real date/)
    assert.equal($(res.text)('#body').text(), 'Kept text')
  })

  test('a draft saved while typing is restored on the form after signing in again, and discarded once saved', async () => {
    const { agent, caseId, user } = await workerWithCase()
    const form = await agent.get(`/cases/${caseId}/notes/new`).expect(200)
    const key = $(form.text)('form[data-autosave]').attr('data-autosave')
    assert.equal(key, `note:${caseId}`)
    const csrf = $(form.text)('body').attr('data-csrf-token')!
    await agent
      .put(`/api/v1/drafts/${encodeURIComponent(key!)}`)
      .set('x-csrf-token', csrf)
      .send({ kind: 'note', title: 'Unfinished', body: 'Half a thought', 'occurredOn-day': '19', 'occurredOn-month': '11', 'occurredOn-year': '2026' })
      .expect(200)

    // The session times out; the user signs in again and opens the form.
    app.setNow(new Date(Date.now() + (app.deps.config.sessionIdleMinutes + 5) * 60_000))
    const timedOut = await agent.get(`/cases/${caseId}/notes/new`).expect(302)
    assert.equal(timedOut.headers.location, '/sign-in?timeout=1')
    app.setNow(FIXED_NOW)
    await signIn(agent, user.email, PASSWORD)
    const restored = $((await agent.get(`/cases/${caseId}/notes/new`).expect(200)).text)
    assert.match(restored('[data-qa=draft-restored]').text(), /^Restored your unsaved draft from 20 Nov 2026, 10:00$/)
    assert.equal(restored('#title').val(), 'Unfinished')
    assert.equal(restored('#body').text(), 'Half a thought')
    assert.equal(restored('#occurredOn-day').val(), '19')

    const saved = await agent
      .post(`/cases/${caseId}/notes/new`)
      .type('form')
      .send({ _csrf: restored('input[name=_csrf]').first().val(), kind: 'note', title: 'Finished', body: 'Whole thought', ...dateFields('occurredOn', '2026-11-19') })
      .expect(302)
    assert.equal(saved.headers.location, `/cases/${caseId}/notes?saved=added`)
    await agent.get(`/api/v1/drafts/${encodeURIComponent(key!)}`).expect(404)
    assert.equal($((await agent.get(`/cases/${caseId}/notes/new`)).text)('[data-qa=draft-restored]').length, 0)
  })

  test('a new note is drafted per browser tab: saving discards that tab’s draft only', async () => {
    const { agent, caseId, csrf } = await workerWithCase()
    const page = $((await agent.get(`/cases/${caseId}/notes/new`).expect(200)).text)
    const form = page('form[data-autosave]')
    assert.equal(form.attr('data-autosave'), `note:${caseId}`)
    assert.notEqual(form.attr('data-autosave-per-tab'), undefined, 'a new note’s form is drafted per tab')
    assert.notEqual(form.attr('data-autosave-restore'), undefined, 'an empty form restores the tab’s draft')
    const tab = (id: string) => `note:${caseId}:tab-${id}`
    const one = tab('0a3c6a52-7a7e-4b7c-9d35-2f8d0c6a1e01')
    const two = tab('0a3c6a52-7a7e-4b7c-9d35-2f8d0c6a1e02')
    await agent.put(`/api/v1/drafts/${one}`).set('x-csrf-token', csrf).send({ title: 'Tab one' }).expect(200)
    await agent.put(`/api/v1/drafts/${two}`).set('x-csrf-token', csrf).send({ title: 'Tab two' }).expect(200)

    // A form shown again with what was posted restores nothing over it.
    const invalid = await submitForm(agent, `/cases/${caseId}/notes/new`, `/cases/${caseId}/notes/new`, { _draftKey: one, kind: 'note' })
    assert.equal(invalid.status, 400)
    assert.equal($(invalid.text)('form[data-autosave]').attr('data-autosave-restore'), undefined)
    await agent.get(`/api/v1/drafts/${one}`).expect(200)

    // A key of another form, or not a tab's, is not discarded.
    const otherForm = `note:${caseId}`
    await agent.put(`/api/v1/drafts/${otherForm}`).set('x-csrf-token', csrf).send({ title: 'Shared' }).expect(200)
    const fields = { kind: 'note', title: 'Tab one', body: 'Saved from tab one', ...dateFields('occurredOn', '2026-11-19') }
    const saved = await submitForm(agent, `/cases/${caseId}/notes/new`, `/cases/${caseId}/notes/new`, { ...fields, _draftKey: one })
    assert.equal(saved.status, 302)
    await agent.get(`/api/v1/drafts/${one}`).expect(404)
    assert.equal((await agent.get(`/api/v1/drafts/${two}`).expect(200)).body.data.title, 'Tab two')
    await agent.get(`/api/v1/drafts/${otherForm}`).expect(404)
    const notTabKeys = [
      `note:${caseId}:0a3c6a52-7a7e-4b7c-9d35-2f8d0c6a1e03`, // a note's edit form
      `note:00000000-0000-4000-8000-000000000000:tab-0a3c6a52-7a7e-4b7c-9d35-2f8d0c6a1e02`, // another case's
      `note:${caseId}:tab-x0a3c6a52-7a7e-4b7c-9d35-2f8d0c6a1e0`, // not a tab id
    ]
    for (const sent of notTabKeys) {
      await agent.put(`/api/v1/drafts/${sent}`).set('x-csrf-token', csrf).send({ title: 'Kept' }).expect(200)
      const res = await submitForm(agent, `/cases/${caseId}/notes/new`, `/cases/${caseId}/notes/new`, { ...fields, _draftKey: sent })
      assert.equal(res.status, 302)
      assert.equal((await agent.get(`/api/v1/drafts/${sent}`).expect(200)).body.data.title, 'Kept', `${sent} was discarded`)
    }
  })

  test('a draft can be discarded from the form', async () => {
    const { agent, caseId, csrf } = await workerWithCase()
    await agent.put(`/api/v1/drafts/note:${caseId}`).set('x-csrf-token', csrf).send({ title: 'Throw away' }).expect(200)
    const form = `/cases/${caseId}/notes/new`
    const res = await submitForm(agent, form, `/cases/${caseId}/notes/discard-draft`, {})
    assert.equal(res.headers.location, form)
    assert.equal($((await agent.get(form)).text)('#title').val(), undefined)
  })

  test('a stale edit shows both versions side by side and the saved version number, then saves when re-submitted', async () => {
    const { agent, caseId, csrf } = await workerWithCase()
    const created = await agent
      .post(`/api/v1/cases/${caseId}/notes`)
      .set('x-csrf-token', csrf)
      .send({ kind: 'note', occurredOn: '2026-11-10', title: 'Original', body: 'First words' })
      .expect(201)
    const noteId = created.body.id as string
    const editPage = await agent.get(`/cases/${caseId}/notes/${noteId}`).expect(200)
    assert.equal($(editPage.text)('input[name=version]').val(), '1')
    await agent
      .put(`/api/v1/cases/${caseId}/notes/${noteId}`)
      .set('x-csrf-token', csrf)
      .send({ kind: 'note', occurredOn: '2026-11-10', title: 'Changed elsewhere', body: 'Other words', version: 1 })
      .expect(200)
    const mine = { kind: 'note', ...dateFields('occurredOn', '2026-11-10'), title: 'My title', body: 'My words', version: '1' }
    const refused = await agent
      .post(`/cases/${caseId}/notes/${noteId}`)
      .type('form')
      .send({ ...mine, _csrf: $(editPage.text)('input[name=_csrf]').first().val() })
    assert.equal(refused.status, 409)
    const page = $(refused.text)
    const rows = page('[data-qa=conflict-table] tbody tr')
      .map((_, tr) => [page(tr).children().map((__, td) => page(td).text().trim()).get()])
      .get()
    assert.deepEqual(rows.find((r: string[]) => r[0] === 'Title'), ['Title', 'My title', 'Changed elsewhere'])
    assert.equal(page('#title').val(), 'My title')
    assert.equal(page('input[name=version]').val(), '2')
    const again = await agent
      .post(`/cases/${caseId}/notes/${noteId}`)
      .type('form')
      .send({ ...mine, version: '2', _csrf: page('input[name=_csrf]').first().val() })
    assert.equal(again.status, 302)
    const api = await agent.get(`/api/v1/cases/${caseId}/notes/${noteId}`).expect(200)
    assert.deepEqual([api.body.title, api.body.version], ['My title', 3])
  })

  test('a colleague who may only read sees the notes but is refused the form', async () => {
    const { caseId, agent, csrf } = await workerWithCase()
    await agent.post(`/api/v1/cases/${caseId}/notes`).set('x-csrf-token', csrf).send({ kind: 'note', occurredOn: '2026-11-10', title: 'Read me', body: 'x' }).expect(201)
    const colleague = await signedIn()
    const list = $((await colleague.agent.get(`/cases/${caseId}/notes`).expect(200)).text)
    assert.equal(list('[data-qa=add-note]').length, 0)
    assert.equal(list('[data-qa=note]').length, 1)
    await colleague.agent.get(`/cases/${caseId}/notes/new`).expect(403)
    await colleague.agent.post(`/api/v1/cases/${caseId}/notes`).set('x-csrf-token', colleague.csrf).send({ kind: 'note', occurredOn: '2026-11-10', title: 'x', body: 'x' }).expect(403)
  })
})

describe('notes and drafts API', () => {
  test('notes: list, record, change with version; invalid input and stale versions are problems', async () => {
    const { agent, caseId, csrf } = await workerWithCase()
    const invalid = await agent.post(`/api/v1/cases/${caseId}/notes`).set('x-csrf-token', csrf).send({ kind: 'visit', occurredOn: '2026-11-10', title: 'v', body: 'b' }).expect(422)
    assert.ok(invalid.body.errors.childSeen)
    const made = await agent
      .post(`/api/v1/cases/${caseId}/notes`)
      .set('x-csrf-token', csrf)
      .send({ kind: 'visit', occurredOn: '2026-11-10', title: 'Visit', body: 'b', childSeen: true, childSeenAlone: false })
      .expect(201)
    assert.equal(made.headers.location, `/api/v1/cases/${caseId}/notes/${made.body.id}`)
    assert.deepEqual([made.body.childSeen, made.body.childSeenAlone, made.body.version], [true, false, 1])
    const list = await agent.get(`/api/v1/cases/${caseId}/notes?kind=visit`).expect(200)
    assert.deepEqual(list.body.items.map((n: { id: string }) => n.id), [made.body.id])
    assert.equal(list.body.total, 1)
    assert.deepEqual((await agent.get(`/api/v1/cases/${caseId}/notes?kind=note`).expect(200)).body, { items: [], total: 0, offset: 0, limit: 25 })
    await agent.get(`/api/v1/cases/${caseId}/notes?kind=gossip`).expect(422)
    const stale = await agent
      .put(`/api/v1/cases/${caseId}/notes/${made.body.id}`)
      .set('x-csrf-token', csrf)
      .send({ kind: 'note', occurredOn: '2026-11-10', title: 'x', body: 'x', version: 9 })
      .expect(409)
    assert.equal(stale.body.title, 'Conflict')
  })

  test('drafts: put, get and delete your own; others cannot see them; size and key are checked', async () => {
    const a = await signedIn()
    const b = await signedIn()
    const key = 'note:0b7f6c4e-4c7a-4d8e-9a55-3f1f2f6d9a10'
    const put = await a.agent.put(`/api/v1/drafts/${key}`).set('x-csrf-token', a.csrf).send({ title: 'Mine' }).expect(200)
    assert.equal(put.body.key, key)
    assert.equal((await a.agent.get(`/api/v1/drafts/${key}`).expect(200)).body.data.title, 'Mine')
    await b.agent.get(`/api/v1/drafts/${key}`).expect(404)
    await b.agent.delete(`/api/v1/drafts/${key}`).set('x-csrf-token', b.csrf).expect(204)
    await a.agent.get(`/api/v1/drafts/${key}`).expect(200)
    await a.agent.put(`/api/v1/drafts/${key}`).send({ title: 'no csrf' }).expect(403)
    const big = await a.agent.put(`/api/v1/drafts/${key}`).set('x-csrf-token', a.csrf).send({ body: 'x'.repeat(110 * 1024) }).expect(422)
    assert.match(big.body.errors.form ?? JSON.stringify(big.body.errors), /100 kB/)
    await a.agent.put('/api/v1/drafts/Bad%20Key').set('x-csrf-token', a.csrf).send({ a: 1 }).expect(422)
    await a.agent.put(`/api/v1/drafts/${key}`).set('x-csrf-token', a.csrf).send([1, 2]).expect(422)
    await a.agent.delete(`/api/v1/drafts/${key}`).set('x-csrf-token', a.csrf).expect(204)
    await a.agent.get(`/api/v1/drafts/${key}`).expect(404)
  })
})

describe('tasks', () => {
  test('a task added on the case goes to the person chosen, shows overdue on their list, and is completed there', async () => {
    const { agent, caseId } = await workerWithCase('Taskable')
    const colleague = await signedIn()
    const casePage = `/cases/${caseId}/tasks`
    const page = $((await agent.get(casePage).expect(200)).text)
    assert.ok(page(`#assigneeUserId option[value="${colleague.user.userId}"]`).length, 'team members are offered')
    const added = await submitForm(agent, casePage, casePage, { title: 'Ring the GP', ...dateFields('dueOn', '2026-11-18'), assigneeUserId: colleague.user.userId })
    assert.equal(added.headers.location, `${casePage}?saved=added`)

    const mine = $((await colleague.agent.get('/tasks').expect(200)).text)
    const row = mine('[data-qa=my-tasks] [data-qa=task]').filter((_, tr) => mine(tr).text().includes('Ring the GP'))
    assert.equal(row.attr('data-due-state'), 'overdue')
    assert.match(row.find('.govuk-tag--red').text(), /Overdue/)
    assert.equal(row.find(`a[href="/cases/${caseId}/tasks"]`).text().trim().split(' ')[0], 'Taskable')
    const taskId = row.attr('id')!.replace('task-', '')
    const done = await colleague.agent
      .post(`/tasks/${taskId}/completion`)
      .type('form')
      .send({ _csrf: mine('input[name=_csrf]').first().val(), version: row.find('input[name=version]').val(), returnTo: '/tasks' })
      .expect(302)
    assert.equal(done.headers.location, '/tasks?done=completed')
    const after = $((await colleague.agent.get('/tasks').expect(200)).text)
    assert.equal(after(`#task-${taskId}`).length, 0)
    const onCase = $((await agent.get(casePage).expect(200)).text)
    assert.equal(onCase(`[data-qa=done-tasks] #task-${taskId}`).length, 1)
  })

  test('the add form reports missing fields; a clock’s task offers no button and cannot be completed by hand', async () => {
    const { agent, caseId, csrf, user } = await workerWithCase()
    const casePage = `/cases/${caseId}/tasks`
    const empty = await submitForm(agent, casePage, casePage, { title: '', 'dueOn-day': '40', 'dueOn-month': '1', 'dueOn-year': '2026', assigneeUserId: '' })
    assert.equal(empty.status, 400)
    assert.deepEqual(errorLinks(empty.text), ['#title', '#dueOn-day'])

    await agent.post(`/api/v1/cases/${caseId}/looked-after`).set('x-csrf-token', csrf).send({ startedOn: '2026-11-02', legalStatus: 'C1', ...CARE_START }).expect(201)
    const [clockTask] = await database.db.select().from(task).where(eq(task.caseId, caseId))
    assert.ok(clockTask?.clockId)
    const page = $((await agent.get(casePage).expect(200)).text)
    const row = page(`#task-${clockTask.id}`)
    assert.match(row.text(), /Completes when the timescale is met/)
    assert.equal(row.find('[data-qa=complete-task]').length, 0)
    const refused = await agent.post(`/api/v1/tasks/${clockTask.id}/completion`).set('x-csrf-token', csrf).send({ version: 1 }).expect(422)
    assert.match(refused.body.errors.task, /statutory timescale/)
    const forced = await agent.post(`/tasks/${clockTask.id}/completion`).type('form').send({ _csrf: page('input[name=_csrf]').first().val(), version: '1', returnTo: casePage })
    assert.equal(forced.status, 400)
    assert.deepEqual(errorLinks(forced.text), [`#task-${clockTask.id}`])
    const mine = await agent.get('/api/v1/tasks').expect(200)
    assert.ok(mine.body.mine.items.some((t: { id: string; clockTitle: string }) => t.id === clockTask.id && t.clockTitle === 'Looked-after child: first review'))
    assert.equal(user.teamId, world.teams.assessment)
  })

  test('tasks API: create for the team, list, complete with version', async () => {
    const { agent, caseId, csrf } = await workerWithCase()
    const made = await agent.post(`/api/v1/cases/${caseId}/tasks`).set('x-csrf-token', csrf).send({ title: 'Team job', dueOn: '2026-11-30' }).expect(201)
    assert.deepEqual([made.body.assigneeTeamId, made.body.dueState], [world.teams.assessment, 'due'])
    const listed = await agent.get('/api/v1/tasks').expect(200)
    assert.ok(listed.body.team.items.some((t: { id: string }) => t.id === made.body.id))
    await agent.post(`/api/v1/tasks/${made.body.id}/completion`).set('x-csrf-token', csrf).send({ version: 3 }).expect(409)
    const done = await agent.post(`/api/v1/tasks/${made.body.id}/completion`).set('x-csrf-token', csrf).send({ version: 1 }).expect(200)
    assert.deepEqual([done.body.status, done.body.doneOn], ['done', '2026-11-20'])
    await agent.post(`/api/v1/cases/${caseId}/tasks`).set('x-csrf-token', csrf).send({ title: '' }).expect(422)
  })
})

describe('family network', () => {
  test('the page draws an accessible genogram whose text alternative is the table', async () => {
    const { agent, caseId, csrf } = await workerWithCase('Genny')
    await agent
      .post(`/api/v1/cases/${caseId}/family`)
      .set('x-csrf-token', csrf)
      .send({ person: { givenName: 'Mara', familyName: 'Fictional', sex: 'F' }, kind: 'parent', sameHousehold: true, parentalResponsibility: true })
      .expect(201)
    await agent
      .post(`/api/v1/cases/${caseId}/family`)
      .set('x-csrf-token', csrf)
      .send({ person: { givenName: 'Dev', familyName: 'Fictional', sex: 'M' }, kind: 'parent', sameHousehold: false, parentalResponsibility: true })
      .expect(201)
    const page = $((await agent.get(`/cases/${caseId}/family`).expect(200)).text)
    const svg = page('svg[data-qa=genogram]')
    assert.equal(svg.attr('role'), 'img')
    assert.equal(svg.attr('aria-labelledby'), 'genogram-title genogram-desc')
    assert.equal(svg.attr('aria-describedby'), 'family-table')
    assert.equal(page('#family-table').length, 1)
    assert.match(svg.find('title').text(), /^Genogram of Genny /)
    assert.match(svg.find('desc').text(), /Mara Fictional \(parent, lives with the child, has parental responsibility\)/)
    assert.equal(svg.find('[data-shape=circle]').length, 1 + 0, 'Mara is a circle (the test child has no sex recorded)')
    assert.equal(svg.find('[data-shape=square]').length, 1)
    assert.equal(svg.find('[data-qa=household]').length, 1)
    assert.equal(svg.find('[data-line=parent]').length, 2)
    assert.deepEqual(page('#family-table [data-qa=relationship] th').map((_, th) => page(th).text().trim()).get().sort(), ['Dev Fictional', 'Mara Fictional'])
    assert.equal(page('style, [style]').length, 0, 'no inline styles (CSP)')
  })

  test('adding a new person through the form, finding an existing one by name, changing and ending', async () => {
    const { agent, caseId } = await workerWithCase()
    const addPage = `/cases/${caseId}/family/new`
    const empty = await submitForm(agent, addPage, addPage, { personChoice: 'new', givenName: '', familyName: '' })
    assert.equal(empty.status, 400)
    assert.deepEqual(errorLinks(empty.text), ['#givenName', '#familyName', '#kind', '#sameHousehold', '#parentalResponsibility'])

    const added = await submitForm(agent, addPage, addPage, {
      personChoice: 'new',
      givenName: 'Nana',
      familyName: 'Fictionalson',
      ...dateFields('dateOfBirth', '1960-05-06'),
      sex: 'F',
      kind: 'grandparent',
      sameHousehold: 'no',
      parentalResponsibility: 'no',
      notes: 'Weekly contact',
    })
    assert.equal(added.headers.location, `/cases/${caseId}/family?saved=added`)

    const surname = `Knownperson${Date.now()}`
    const [known] = await database.db.insert(person).values({ partnershipId: world.partnershipId, givenName: 'Uncle', familyName: surname }).returning()
    const search = $((await agent.get(`${addPage}?q=${surname.slice(0, 14)}`).expect(200)).text)
    assert.match(search('[data-qa=search-count]').text(), /^1 person found/)
    assert.equal(search(`input[name=personChoice][value="${known!.id}"]`).length, 1)
    const picked = await agent
      .post(`${addPage}?q=${surname}`)
      .type('form')
      .send({ _csrf: search('input[name=_csrf]').first().val(), personChoice: known!.id, kind: 'other', sameHousehold: 'yes', parentalResponsibility: 'no', notes: '' })
      .expect(302)
    assert.equal(picked.headers.location, `/cases/${caseId}/family?saved=added`)

    const family = await agent.get(`/api/v1/cases/${caseId}/family`).expect(200)
    const nana = family.body.relationships.find((r: { givenName: string }) => r.givenName === 'Nana')
    assert.deepEqual([nana.kind, nana.dateOfBirth, nana.notes], ['grandparent', '1960-05-06', 'Weekly contact'])
    assert.equal(family.body.genogram.nodes.length, 3)

    const editPath = `/cases/${caseId}/family/${nana.id}`
    const changed = await submitForm(agent, editPath, editPath, { version: '1', kind: 'grandparent', sameHousehold: 'yes', parentalResponsibility: 'no', notes: 'Moved in' })
    assert.equal(changed.headers.location, `/cases/${caseId}/family?saved=changed`)
    assert.match($((await agent.get(changed.headers.location!).expect(200)).text)('[data-qa=saved-banner]').text(), /Your changes to the family member were saved\./)
    const stale = await submitForm(agent, editPath, editPath, { version: '1', kind: 'grandparent', sameHousehold: 'no', parentalResponsibility: 'no', notes: 'Stale' })
    assert.equal(stale.status, 409)
    assert.equal($(stale.text)('input[name=version]').val(), '2')
    assert.equal($(stale.text)('[data-qa=edit-conflict]').length, 1)

    const endPath = `${editPath}/end`
    const ended = await submitForm(agent, endPath, endPath, { version: '2', ...dateFields('endedOn', '2026-11-15') })
    assert.equal(ended.headers.location, `/cases/${caseId}/family?saved=ended`)
    const page = $((await agent.get(`/cases/${caseId}/family`).expect(200)).text)
    assert.match(page('[data-qa=past-relationships]').text(), /Nana Fictionalson[\s\S]*15 November 2026/)
    assert.equal(page('svg [data-person]').length, 2, 'the ended relationship leaves the genogram')
  })

  test('family API: add, change (409 when stale), end via endedOn', async () => {
    const { agent, caseId, csrf } = await workerWithCase()
    await agent.post(`/api/v1/cases/${caseId}/family`).set('x-csrf-token', csrf).send({ kind: 'parent', sameHousehold: true, parentalResponsibility: true }).expect(422)
    const made = await agent
      .post(`/api/v1/cases/${caseId}/family`)
      .set('x-csrf-token', csrf)
      .send({ person: { givenName: 'Api', familyName: 'Fictional' }, kind: 'sibling', sameHousehold: true, parentalResponsibility: false })
      .expect(201)
    assert.equal(made.headers.location, `/api/v1/cases/${caseId}/family/${made.body.id}`)
    const body = { kind: 'sibling', sameHousehold: false, parentalResponsibility: false, notes: 'Lives with father', version: 1 }
    const changed = await agent.put(`/api/v1/cases/${caseId}/family/${made.body.id}`).set('x-csrf-token', csrf).send(body).expect(200)
    assert.deepEqual([changed.body.notes, changed.body.version], ['Lives with father', 2])
    await agent.put(`/api/v1/cases/${caseId}/family/${made.body.id}`).set('x-csrf-token', csrf).send(body).expect(409)
    const ended = await agent.put(`/api/v1/cases/${caseId}/family/${made.body.id}`).set('x-csrf-token', csrf).send({ ...body, version: 2, endedOn: '2026-11-01' }).expect(200)
    assert.equal(ended.body.endedOn, '2026-11-01')
  })
})

describe('relationships between family members (issue 17)', () => {
  test('the page records the grandmother as the mother’s parent, lists it and draws it; the API does the same', async () => {
    const { agent, caseId, csrf } = await workerWithCase('Linky')
    const add = (body: object) => agent.post(`/api/v1/cases/${caseId}/family`).set('x-csrf-token', csrf).send(body).expect(201)
    const mum = (await add({ person: { givenName: 'Mina', familyName: 'Fictional', sex: 'F' }, kind: 'parent', sameHousehold: true, parentalResponsibility: true })).body
    const gran = (await add({ person: { givenName: 'Gwen', familyName: 'Elderfictional', sex: 'F' }, kind: 'grandparent', sameHousehold: false, parentalResponsibility: false })).body
    const grandad = (await add({ person: { givenName: 'Gus', familyName: 'Elderfictional', sex: 'M' }, kind: 'grandparent', sameHousehold: false, parentalResponsibility: false })).body
    const path = `/cases/${caseId}/family`
    const empty = await submitForm(agent, path, `${path}/links`, {})
    assert.equal(empty.status, 400)
    assert.deepEqual(errorLinks(empty.text), ['#relatedPersonId', '#kind', '#personId'])
    const saved = await submitForm(agent, path, `${path}/links`, { relatedPersonId: gran.relatedPersonId, kind: 'parent', personId: mum.relatedPersonId })
    assert.equal(saved.headers.location, `${path}?saved=linked`)
    const page = $((await agent.get(saved.headers.location!).expect(200)).text)
    assert.match(page('[data-qa=member-relationship]').text().replace(/\s+/g, ' '), /Gwen Elderfictional Parent Mina Fictional/)
    assert.equal(page('svg [data-line=member]').length, 1)
    assert.match(page('svg desc').text(), /Between family members: Gwen Elderfictional is parent of Mina Fictional/)

    const api = await agent.post(`/api/v1/cases/${caseId}/family/links`).set('x-csrf-token', csrf)
      .send({ personId: mum.relatedPersonId, relatedPersonId: grandad.relatedPersonId, kind: 'parent' })
    assert.equal(api.status, 201, JSON.stringify(api.body))
    await agent.post(`/api/v1/cases/${caseId}/family/links`).set('x-csrf-token', csrf)
      .send({ personId: mum.relatedPersonId, relatedPersonId: grandad.relatedPersonId, kind: 'parent' }).expect(422)
    const family = await agent.get(`/api/v1/cases/${caseId}/family`).expect(200)
    assert.deepEqual(family.body.memberRelationships.map((r: { givenName: string }) => r.givenName).sort(), ['Gus', 'Gwen'])
    assert.equal(family.body.genogram.lines.filter((l: { kind: string }) => l.kind === 'member').length, 2)
  })
})

describe('looked after and pre-proceedings', () => {
  test('became looked after, a review, leaving care: through the pages, with the clocks shown', async () => {
    const { agent, caseId } = await workerWithCase()
    const overview = `/cases/${caseId}/looked-after`
    assert.equal($((await agent.get(overview).expect(200)).text)('[data-qa=not-looked-after]').length, 1)
    const startPath = `${overview}/start`
    const bad = await submitForm(agent, startPath, startPath, {})
    assert.equal(bad.status, 400)
    assert.deepEqual(errorLinks(bad.text), ['#startedOn-day', '#legalStatus', '#categoryOfNeed', '#uasc', '#placeType', '#placementPostcode', '#prevPerm'])
    const started = await submitForm(agent, startPath, startPath, { ...dateFields('startedOn', '2026-10-01'), legalStatus: 'C1', ...CARE_START_FORM })
    assert.equal(started.headers.location, `${overview}?saved=started`)

    let page = $((await agent.get(overview).expect(200)).text)
    assert.equal(page('[data-qa=case-stage]').text().trim(), 'Looked after')
    assert.equal(page('[data-qa=clock-cla-first-review]').length, 1)
    const reviewPath = page('[data-qa=record-review]').attr('href')!
    const reviewed = await submitForm(agent, reviewPath, reviewPath, { ...dateFields('heldOn', '2026-10-28'), delayReason: '', participation: 'PN1' })
    assert.equal(reviewed.headers.location, `${overview}?saved=review`)
    page = $((await agent.get(overview).expect(200)).text)
    assert.match(page('[data-qa=reviews]').text(), /28 October 2026/)
    assert.equal(page('[data-qa=clock-cla-second-review]').length, 1)

    const endPath = reviewPath.replace(/review$/, 'end')
    const endForm = $((await agent.get(endPath).expect(200)).text)
    const ended = await agent
      .post(endPath)
      .type('form')
      .send({ _csrf: endForm('input[name=_csrf]').first().val(), version: endForm('input[name=version]').val(), ...dateFields('endedOn', '2026-11-19'), reasonCeased: 'E4A' })
      .expect(302)
    assert.equal(ended.headers.location, `${overview}?saved=ended`)
    page = $((await agent.get(overview).expect(200)).text)
    assert.equal(page('[data-qa=past-periods] tbody tr').length, 1)
    assert.equal(page('[data-qa=not-looked-after]').length, 1)
  })

  test('pre-proceedings through the pages: recorded, proceedings issued, the 26-week clock shown', async () => {
    const { agent, caseId } = await workerWithCase()
    const newPath = `/cases/${caseId}/pre-proceedings/new`
    const blank = { 'letterSentOn-day': '', 'fgdmMeetingOn-day': '', 'initialMeetingOn-day': '', 'proceedingsIssuedOn-day': '', 'endedOn-day': '' }
    const wrong = await submitForm(agent, newPath, newPath, { ...blank, ...dateFields('decisionOn', '2026-09-01'), ...dateFields('letterSentOn', '2026-08-01'), fgdmOffered: 'no', outcome: '' })
    assert.equal(wrong.status, 400)
    assert.deepEqual(errorLinks(wrong.text), ['#letterSentOn-day'])
    const made = await submitForm(agent, newPath, newPath, { ...blank, ...dateFields('decisionOn', '2026-09-01'), ...dateFields('letterSentOn', '2026-09-02'), fgdmOffered: 'yes', outcome: '' })
    assert.equal(made.headers.location, `/cases/${caseId}/looked-after?saved=pre-proceedings`)
    let page = $((await agent.get(`/cases/${caseId}/looked-after`).expect(200)).text)
    const editPath = page('[data-qa=pre-proceedings] .govuk-summary-card__actions a').attr('href')!
    const edit = $((await agent.get(editPath).expect(200)).text)
    assert.equal(edit('#decisionOn-day').val(), '1')
    assert.equal(edit('input[name=fgdmOffered][value=yes]').attr('checked'), 'checked')
    const fields: Record<string, string> = {}
    edit('[data-qa=pre-proceedings-form] input').each((_, i) => {
      const name = edit(i).attr('name')
      if (name && !['fgdmOffered', 'fgdmResponse', 'outcome'].includes(name)) fields[name] = String(edit(i).val() ?? '')
    })
    const issue = { ...fields, fgdmOffered: 'yes', fgdmResponse: 'declined', ...dateFields('proceedingsIssuedOn', '2026-10-05'), outcome: 'B' }
    // Issuing proceedings asks for the family group decision-making offer's date (CA 1989 s31ZA).
    const unoffered = await agent.post(editPath).type('form').send(issue).expect(400)
    assert.deepEqual(errorLinks(unoffered.text), ['#fgdmOfferedOn-day'])
    const saved = await agent
      .post(editPath)
      .type('form')
      .send({ ...issue, ...dateFields('fgdmOfferedOn', '2026-09-02') })
      .expect(302)
    assert.equal(saved.headers.location, `/cases/${caseId}/looked-after?saved=pre-proceedings-changed`)
    page = $((await agent.get(`/cases/${caseId}/looked-after`).expect(200)).text)
    assert.match(page('[data-qa=clock-care-proceedings]').text(), /5 October 2026[\s\S]*5 April 2027/)
  })

  test('pre-proceedings ended after the 26 weeks: the page and the API ask for the coded reason (issue 17 §3), kept on the clock', async () => {
    const { agent, caseId, csrf } = await workerWithCase()
    const issued = { decisionOn: '2026-01-05', fgdmOffered: false, fgdmNotOfferedReason: 'Not safe for the child (fictional)', proceedingsIssuedOn: '2026-03-02', outcome: 'B' }
    const pp = await agent.post(`/api/v1/cases/${caseId}/pre-proceedings`).set('x-csrf-token', csrf).send(issued).expect(201)
    const refused = await agent.patch(`/api/v1/cases/${caseId}/pre-proceedings/${pp.body.id}`).set('x-csrf-token', csrf).send({ version: 1, endedOn: '2026-09-15' }).expect(422)
    assert.match(JSON.stringify(refused.body), /lateReasonCode[\s\S]*31 August 2026/)

    const editPath = `/cases/${caseId}/pre-proceedings/${pp.body.id}`
    const edit = $((await agent.get(editPath).expect(200)).text)
    assert.match(edit('[data-qa=late-reason-fields]').text(), /due to be decided by 31 August 2026/)
    const fields: Record<string, string> = {}
    edit('[data-qa=pre-proceedings-form] input, [data-qa=pre-proceedings-form] textarea').each((_, i) => {
      const name = edit(i).attr('name')
      if (name && !['fgdmOffered', 'fgdmResponse', 'outcome'].includes(name)) fields[name] = String(edit(i).val() ?? '')
    })
    const ending = { ...fields, fgdmOffered: 'no', fgdmResponse: '', outcome: 'B', ...dateFields('endedOn', '2026-09-15'), lateReasonCode: '', lateReason: 'The final hearing was adjourned' }
    const bad = await agent.post(editPath).type('form').send(ending).expect(400)
    assert.deepEqual(errorLinks(bad.text), ['#lateReasonCode'])
    assert.equal($(bad.text)('#lateReason').val(), 'The final hearing was adjourned', 'the words typed are kept')
    await agent.post(editPath).type('form').send({ ...ending, lateReasonCode: 'awaiting-agency' }).expect(302)
    const [k] = await database.db.select().from(clock).where(eq(clock.subjectId, pp.body.id))
    assert.deepEqual([k!.completedOn, k!.delayReasonCode, k!.delayReason], ['2026-09-15', 'awaiting-agency', 'The final hearing was adjourned'])
  })

  test('looked-after API: start, review, end; pre-proceedings: create, patch (409 when stale)', async () => {
    const { agent, caseId, csrf } = await workerWithCase()
    const period = await agent.post(`/api/v1/cases/${caseId}/looked-after`).set('x-csrf-token', csrf).send({ startedOn: '2026-09-01', legalStatus: 'V2', ...CARE_START }).expect(201)
    await agent.post(`/api/v1/cases/${caseId}/looked-after`).set('x-csrf-token', csrf).send({ startedOn: '2026-09-02', legalStatus: 'V2', ...CARE_START }).expect(422)
    const review = await agent.post(`/api/v1/cases/${caseId}/looked-after/${period.body.id}/reviews`).set('x-csrf-token', csrf).send({ heldOn: '2026-09-25', participation: 'PN1' }).expect(201)
    assert.deepEqual(review.body, { completed: 'cla-first-review', next: 'cla-second-review' })
    const ended = await agent.post(`/api/v1/cases/${caseId}/looked-after/${period.body.id}/end`).set('x-csrf-token', csrf).send({ endedOn: '2026-11-01', version: 1, reasonCeased: 'E4A' }).expect(200)
    assert.equal(ended.body.endedOn, '2026-11-01')
    const clocks = await database.db.select().from(clock).where(eq(clock.subjectId, period.body.id))
    assert.ok(clocks.every((k) => k.completedOn !== null))

    const pp = await agent.post(`/api/v1/cases/${caseId}/pre-proceedings`).set('x-csrf-token', csrf).send({ decisionOn: '2026-10-01', fgdmOffered: false }).expect(201)
    assert.equal(pp.body.version, 1)
    const patched = await agent.patch(`/api/v1/cases/${caseId}/pre-proceedings/${pp.body.id}`).set('x-csrf-token', csrf).send({ version: 1, initialMeetingOn: '2026-10-10' }).expect(200)
    assert.deepEqual([patched.body.initialMeetingOn, patched.body.fgdmOffered, patched.body.version], ['2026-10-10', false, 2])
    await agent.patch(`/api/v1/cases/${caseId}/pre-proceedings/${pp.body.id}`).set('x-csrf-token', csrf).send({ version: 1, outcome: 'A' }).expect(409)
    const got = await agent.get(`/api/v1/cases/${caseId}/looked-after`).expect(200)
    assert.equal(got.body.periods[0].reviews.length, 1)
    assert.equal(got.body.preProceedings[0].id, pp.body.id)
  })
})

describe('the API document', () => {
  test('lists the notes, drafts, tasks, family and looked-after operations', async () => {
    const doc = await app.agent().get('/api/v1/openapi.json').expect(200)
    const paths = doc.body.paths as Record<string, Record<string, unknown>>
    const has = (path: string, method: string) => assert.ok(paths[path]?.[method], `${method.toUpperCase()} ${path}`)
    has('/cases/{caseId}/notes', 'get')
    has('/cases/{caseId}/notes', 'post')
    has('/cases/{caseId}/notes/{noteId}', 'put')
    has('/drafts/{key}', 'put')
    has('/drafts/{key}', 'get')
    has('/drafts/{key}', 'delete')
    has('/tasks', 'get')
    has('/cases/{caseId}/tasks', 'post')
    has('/tasks/{taskId}/completion', 'post')
    has('/cases/{caseId}/family', 'get')
    has('/cases/{caseId}/family', 'post')
    has('/cases/{caseId}/family/{relationshipId}', 'put')
    has('/cases/{caseId}/looked-after', 'post')
    has('/cases/{caseId}/looked-after/{periodId}/reviews', 'post')
    has('/cases/{caseId}/looked-after/{periodId}/end', 'post')
    has('/cases/{caseId}/pre-proceedings', 'post')
    has('/cases/{caseId}/pre-proceedings/{ppId}', 'patch')
  })
})
