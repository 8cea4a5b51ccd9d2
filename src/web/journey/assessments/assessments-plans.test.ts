import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { eq } from 'drizzle-orm'
import type supertest from 'supertest'
import type { TestDatabase } from '../../../../test/support/database.ts'
import { PASSWORD, World } from '../../../../test/support/fixtures.ts'
import { assessment, childCase, cinEpisode, clock, plan, planItem } from '../../../db/schema/index.ts'
import { withCase } from '../../../services/journey/case-records.ts'
import { startClock } from '../../../services/journey/clocks.ts'
import { $, openTestApp, signIn, submitForm, type TestApp } from '../../../../test/support/web.ts'

let database: TestDatabase
let world: World
let app: TestApp
before(async () => ({ database, world, app } = await openTestApp()))
after(() => database.close())

/** A date `days` from today, as a form's three fields and as ISO. */
function dateFromToday(days: number) {
  const d = new Date(Date.now() + days * 86_400_000)
  const iso = d.toISOString().slice(0, 10)
  return { iso, day: String(d.getUTCDate()), month: String(d.getUTCMonth() + 1), year: String(d.getUTCFullYear()) }
}

const dateFields = (name: string, iso: string) => {
  const [year, month, day] = iso.split('-')
  return { [`${name}-day`]: String(Number(day)), [`${name}-month`]: String(Number(month)), [`${name}-year`]: year! }
}

/** A referred child's case, as the front door leaves it: an open episode and its assessment clock. */
async function referredCase(referralDate = '2026-10-01') {
  const worker = await world.user(['social-worker'])
  const { caseId } = await world.childCase({ worker: worker.userId, givenName: 'Webby' })
  const [episode] = await database.db
    .insert(cinEpisode)
    .values({ partnershipId: world.partnershipId, caseId, referralDate, referralSource: '3B', recordedBy: worker.userId })
    .returning()
  await withCase(world.ctx(worker), caseId, 'case:update', (tx, open) =>
    startClock(world.ctx(worker), tx, open, { rule: 'assessment', start: referralDate, subjectType: 'cin-episode', subjectId: episode!.id, task: 'Complete the assessment' }),
  )
  return { worker, caseId, episodeId: episode!.id }
}

async function signedIn(email: string) {
  const agent = app.agent()
  await signIn(agent, email, PASSWORD)
  return agent
}

async function apiToken(agent: supertest.Agent) {
  return (await agent.get('/api/v1/me').expect(200)).body.csrfToken as string
}

const errorLinks = (html: string) => {
  const page = $(html)
  return page('.govuk-error-summary a').map((_, a) => page(a).attr('href')).get()
}

describe('assessment pages', () => {
  test('the list shows the clock and offers the kind the referral date gives; the start form round-trips', async () => {
    const { worker, caseId } = await referredCase()
    const agent = await signedIn(worker.email)
    const list = await agent.get(`/cases/${caseId}/assessments`).expect(200)
    const page = $(list.text)
    assert.equal(page('[data-qa=clocks] [data-qa=clock-assessment]').length, 1)
    assert.deepEqual(page('input[name=kind]').map((_, i) => page(i).attr('value')).get(), ['single'])
    assert.equal(page('a[aria-current=page]').text().trim(), 'Assessments')

    const episodeId = page('input[name=episodeId]').attr('value')!
    const empty = await submitForm(agent, `/cases/${caseId}/assessments`, `/cases/${caseId}/assessments`, { kind: 'single', episodeId })
    assert.equal(empty.status, 400)
    assert.deepEqual(errorLinks(empty.text), ['#startedOn-day'])
    assert.match(empty.text, /Enter the date the assessment started/)

    const started = await submitForm(agent, `/cases/${caseId}/assessments`, `/cases/${caseId}/assessments`, {
      kind: 'single',
      episodeId,
      ...dateFields('startedOn', '2026-10-02'),
    })
    assert.equal(started.status, 302)
    const [row] = await database.db.select().from(assessment).where(eq(assessment.caseId, caseId))
    assert.equal(started.headers.location, `/cases/${caseId}/assessments/${row!.id}?saved=started`)
    assert.equal(row!.startedOn, '2026-10-02')
    const shown = await agent.get(started.headers.location).expect(200)
    assert.match(shown.text, /The assessment was started/)
    assert.equal($(shown.text)('#completion-form input[name=factors][value=18A]').length, 0, 'retired factors are not offered')
    assert.equal($(shown.text)('#completion-form input[name=factors][value=18B]').length, 1)
    const box = $(shown.text)('#completion-form input[name=factors][value=18B]')
    const boxLabel = $(shown.text)(`label[for="${box.attr('id')}"]`).text().trim()
    assert.ok(boxLabel.length > 0 && !boxLabel.startsWith('18B'), `a factor is labelled by its DfE description, not its code: ${boxLabel}`)
    assert.equal($(shown.text)('#authorisation-form').length, 0, 'a social worker is not offered authorisation')
  })

  test('progress, a stale edit shown side by side, completion errors, completion and manager authorisation', async () => {
    const { worker, caseId, episodeId } = await referredCase()
    const [a] = await database.db
      .insert(assessment)
      .values({ partnershipId: world.partnershipId, caseId, episodeId, kind: 'single', startedOn: '2026-10-02', recordedBy: worker.userId })
      .returning()
    const path = `/cases/${caseId}/assessments/${a!.id}`
    const agent = await signedIn(worker.email)

    const saved = await submitForm(agent, path, path, {
      version: '1',
      developmentalNeeds: 'Thriving at nursery.',
      parentingCapacity: '',
      familyEnvironment: '',
      analysis: '',
      ...dateFields('childSeenOn', '2026-10-06'),
      'childSeenAloneOn-day': '',
      'childSeenAloneOn-month': '',
      'childSeenAloneOn-year': '',
    })
    assert.equal(saved.status, 302)
    assert.equal(saved.headers.location, `${path}?saved=progress`)
    const [afterSave] = await database.db.select().from(assessment).where(eq(assessment.id, a!.id))
    assert.equal(afterSave!.childSeenOn, '2026-10-06')
    assert.equal(afterSave!.childSeenAloneOn, null)

    const stale = await submitForm(agent, path, path, { version: '1', developmentalNeeds: 'My older text.', analysis: 'Mine' })
    assert.equal(stale.status, 409)
    const conflict = $(stale.text)
    assert.match(conflict('[data-qa=edit-conflict]').text(), /Thriving at nursery\./)
    assert.match(conflict('[data-qa=edit-conflict]').text(), /My older text\./)
    assert.equal(conflict('#progress-form input[name=version]').val(), '2', 'the form now names the saved version')
    assert.equal(conflict('#developmentalNeeds').text(), 'My older text.', 'the user’s text is kept')

    const incomplete = await submitForm(agent, path, `${path}/completion`, { version: '2' })
    assert.equal(incomplete.status, 400)
    assert.deepEqual(errorLinks(incomplete.text), ['#completedOn-day', '#outcome'])
    const badFactors = await submitForm(agent, path, `${path}/completion`, {
      version: '2',
      ...dateFields('completedOn', '2026-11-02'),
      factors: ['21', '3A'],
      outcome: 'nfa',
    })
    assert.equal(badFactors.status, 400)
    assert.deepEqual(errorLinks(badFactors.text), ['#factors'])
    assert.equal($(badFactors.text)('#completion-form input[name=factors][value=3A]').attr('checked'), 'checked', 'choices are kept')

    const completed = await submitForm(agent, path, `${path}/completion`, {
      version: '2',
      ...dateFields('completedOn', '2026-11-02'),
      factors: ['3A', '4B'],
      outcome: 'cin-plan',
      delayReason: '',
    })
    assert.equal(completed.status, 302)
    const [k] = await database.db.select().from(clock).where(eq(clock.subjectId, episodeId))
    assert.equal(k!.completedOn, '2026-11-02')

    const manager = await world.user(['team-manager'])
    const managerAgent = await signedIn(manager.email)
    const managerPage = await managerAgent.get(path).expect(200)
    assert.equal($(managerPage.text)('#authorisation-form').length, 1)
    const factorsShown = $(managerPage.text)('dt:contains("Factors identified") + dd li').map((_, el) => $(managerPage.text)(el).text().trim()).get()
    assert.equal(factorsShown.length, 2)
    assert.ok(factorsShown.every((f) => !/^\d+[A-Z]?:/.test(f)), `factors are shown by their labels: ${factorsShown.join('; ')}`)
    assert.equal($(managerPage.text)('#return-form').length, 1)
    // Returned with reasons (issue 16): the worker sees them, and completes it again from what they recorded.
    const returned = await submitForm(managerAgent, path, `${path}/return`, { version: '3', reasons: 'Say what the child told you.' })
    assert.equal(returned.status, 302)
    const workerView = $((await agent.get(path).expect(200)).text)
    assert.match(workerView('[data-qa=return-reasons]').text(), /Say what the child told you\./)
    assert.equal(workerView('#factors').length, 1, 'the first factor box keeps the id error links use')
    assert.deepEqual(workerView('input[name=factors]:checked').map((_, el) => workerView(el).attr('value')).get(), ['3A', '4B'])
    const again = await submitForm(agent, path, `${path}/completion`, {
      version: '4', ...dateFields('completedOn', '2026-11-03'), factors: ['3A', '4B'], outcome: 'cin-plan', delayReason: '',
    })
    assert.equal(again.status, 302)
    const noComment = await submitForm(managerAgent, path, `${path}/authorisation`, { version: '5', ...dateFields('authorisedOn', '2026-11-03') })
    assert.equal(noComment.status, 400)
    const authorised = await submitForm(managerAgent, path, `${path}/authorisation`, { version: '5', ...dateFields('authorisedOn', '2026-11-03'), comment: 'Well evidenced.' })
    assert.equal(authorised.status, 302)
    const final = await managerAgent.get(authorised.headers.location!).expect(200)
    assert.match($(final.text)('[data-qa=assessment-summary]').text(), new RegExp(`3 November 2026 by ${manager.displayName}`))
    assert.match($(final.text)('[data-qa=assessment-summary]').text(), /Well evidenced\./)
    assert.equal($(final.text)('#progress-form').length, 0, 'an authorised assessment is no longer edited')
    assert.equal($(final.text)('#reopen-form').length, 1)
  })

  test('a stranger is offered break-glass, not the page', async () => {
    const { caseId } = await referredCase()
    const stranger = await world.user(['social-worker'], { team: 'front-door' })
    const res = await (await signedIn(stranger.email)).get(`/cases/${caseId}/assessments`)
    assert.equal(res.status, 403)
    assert.match(res.text, /break-glass/)
  })
})

describe('assessment API', () => {
  test('start, list, progress, completion and authorisation through the same rules', async () => {
    const { worker, caseId, episodeId } = await referredCase()
    const agent = await signedIn(worker.email)
    const token = await apiToken(agent)
    const base = `/api/v1/cases/${caseId}/assessments`

    const wrongKind = await agent.post(base).set('x-csrf-token', token).send({ episodeId, kind: 'initial', startedOn: '2026-10-02' }).expect(422)
    assert.match(wrongKind.body.errors.kind, /single assessment/)
    const created = await agent.post(base).set('x-csrf-token', token).send({ episodeId, kind: 'single', startedOn: '2026-10-02' }).expect(201)
    assert.equal(created.headers.location, `${base}/${created.body.id}`)
    assert.equal(created.body.state, 'in-progress')
    assert.equal(created.body.clock.rule, 'assessment')

    const listed = await agent.get(base).expect(200)
    assert.deepEqual(listed.body.map((x: { id: string }) => x.id), [created.body.id])

    const patched = await agent.patch(`${base}/${created.body.id}`).set('x-csrf-token', token).send({ version: 1, analysis: 'Needs met.' }).expect(200)
    assert.equal(patched.body.analysis, 'Needs met.')
    assert.equal(patched.body.version, 2)
    await agent.patch(`${base}/${created.body.id}`).set('x-csrf-token', token).send({ version: 1, analysis: 'Stale' }).expect(409)

    const completed = await agent
      .post(`${base}/${created.body.id}/completion`)
      .set('x-csrf-token', token)
      .send({ version: 2, completedOn: '2026-11-02', factors: ['16A'], outcome: 'strategy-discussion' })
      .expect(200)
    assert.equal(completed.body.state, 'completed')
    const strategy = await database.db.select().from(clock).where(eq(clock.subjectId, episodeId))
    assert.deepEqual(strategy.map((k) => k.rule).sort(), ['assessment', 'strategy-discussion'])

    await agent.post(`${base}/${created.body.id}/authorisation`).set('x-csrf-token', token).send({ version: 3, authorisedOn: '2026-11-03', comment: 'Mine.' }).expect(403)
    const manager = await world.user(['team-manager'])
    const managerAgent = await signedIn(manager.email)
    const authorised = await managerAgent
      .post(`${base}/${created.body.id}/authorisation`)
      .set('x-csrf-token', await apiToken(managerAgent))
      .send({ version: 3, authorisedOn: '2026-11-03', comment: 'Agreed.' })
      .expect(200)
    assert.equal(authorised.body.state, 'authorised')
    assert.equal(authorised.body.authorisedBy, manager.userId)
    const reopened = await managerAgent
      .post(`${base}/${created.body.id}/reopening`)
      .set('x-csrf-token', await apiToken(managerAgent))
      .send({ version: 4, reason: 'New information.' })
      .expect(200)
    assert.equal(reopened.body.state, 'completed')
    assert.equal(reopened.body.reopenReason, 'New information.')
  })

  test('the operations are in the OpenAPI document under Assessments and Plans', async () => {
    const doc = (await app.agent().get('/api/v1/openapi.json').expect(200)).body
    const ops = Object.entries(doc.paths as Record<string, Record<string, { tags: string[] }>>).flatMap(([p, methods]) =>
      Object.entries(methods).map(([m, op]) => `${op.tags[0]} ${m.toUpperCase()} ${p}`),
    )
    for (const expected of [
      'Assessments GET /cases/{caseId}/assessments',
      'Assessments POST /cases/{caseId}/assessments',
      'Assessments PATCH /cases/{caseId}/assessments/{assessmentId}',
      'Assessments POST /cases/{caseId}/assessments/{assessmentId}/completion',
      'Assessments POST /cases/{caseId}/assessments/{assessmentId}/authorisation',
      'Plans GET /cases/{caseId}/plans',
      'Plans POST /cases/{caseId}/plans',
      'Plans GET /cases/{caseId}/plans/{planId}',
      'Plans POST /cases/{caseId}/plans/{planId}/items',
      'Plans PATCH /cases/{caseId}/plans/{planId}/items/{itemId}',
      'Plans POST /cases/{caseId}/plans/{planId}/review',
      'Plans POST /cases/{caseId}/plans/{planId}/end',
      'Plans POST /cases/{caseId}/plans/{planId}/step',
    ]) {
      assert.ok(ops.includes(expected), `missing ${expected}`)
    }
  })
})

describe('plan pages', () => {
  test('start a plan, add a goal and an action, change it, review, step up and end, all through the forms', async () => {
    const { worker, caseId } = await referredCase()
    const agent = await signedIn(worker.email)
    const list = await agent.get(`/cases/${caseId}/plans`).expect(200)
    assert.match(list.text, /This child has no plan/)

    const noSummary = await submitForm(agent, `/cases/${caseId}/plans`, `/cases/${caseId}/plans`, { kind: 'early-help', ...dateFields('startedOn', '2026-10-05') })
    assert.equal(noSummary.status, 400)
    assert.deepEqual(errorLinks(noSummary.text), ['#summary'])

    const started = await submitForm(agent, `/cases/${caseId}/plans`, `/cases/${caseId}/plans`, {
      kind: 'early-help',
      episodeId: '',
      ...dateFields('startedOn', '2026-10-05'),
      summary: 'Routines and school attendance.',
      leadUserId: worker.userId,
    })
    assert.equal(started.status, 302)
    const [eh] = await database.db.select().from(plan).where(eq(plan.caseId, caseId))
    const planPath = `/cases/${caseId}/plans/${eh!.id}`
    assert.equal(started.headers.location, `${planPath}?saved=started`)
    const [c] = await database.db.select().from(childCase).where(eq(childCase.id, caseId))
    assert.equal(c!.status, 'early-help')

    const goal = await submitForm(agent, `${planPath}/items/new?kind=goal`, `${planPath}/items`, { kind: 'goal', description: 'Gets to school on time', status: 'not-started', progress: '' })
    assert.equal(goal.status, 302)
    const [goalRow] = await database.db.select().from(planItem).where(eq(planItem.planId, eh!.id))
    const actionForm = await agent.get(`${planPath}/items/new?kind=action&goalId=${goalRow!.id}`).expect(200)
    assert.equal($(actionForm.text)('#goalId option:selected').attr('value'), goalRow!.id)
    // The owners are listed by agency, so choosing the agency (with scripts) lists only its people.
    const owners = $(actionForm.text)('select#ownerUserId')
    assert.equal(owners.attr('data-app-filter-by'), 'ownerAgencyId')
    assert.equal(owners.find(`optgroup[data-group="${world.agencies.council}"] option[value="${worker.userId}"]`).length, 1)
    assert.equal(owners.find(`optgroup[data-group="${world.agencies.school}"] option[value="${worker.userId}"]`).length, 0)
    assert.equal(owners.find('> option').length, 1, 'only "No particular person" outside the groups')
    const noOwner = await submitForm(agent, `${planPath}/items/new?kind=action`, `${planPath}/items`, { kind: 'action', description: 'Breakfast club', ownerAgencyId: '', ownerUserId: '', status: 'not-started' })
    assert.equal(noOwner.status, 400)
    assert.deepEqual(errorLinks(noOwner.text), ['#ownerAgencyId'])
    const action = await submitForm(agent, `${planPath}/items/new?kind=action`, `${planPath}/items`, {
      kind: 'action',
      description: 'Breakfast club place',
      goalId: goalRow!.id,
      ownerAgencyId: world.agencies.school!,
      ownerUserId: '',
      ...dateFields('dueOn', '2026-12-01'),
      status: 'not-started',
      progress: '',
    })
    assert.equal(action.status, 302)
    const actionRow = (await database.db.select().from(planItem).where(eq(planItem.planId, eh!.id))).find((i) => i.kind === 'action')!
    assert.equal(actionRow.dueOn, '2026-12-01')

    const itemPath = `${planPath}/items/${actionRow.id}`
    const changed = await submitForm(agent, itemPath, itemPath, {
      version: '1',
      description: 'Breakfast club place',
      goalId: goalRow!.id,
      ownerAgencyId: world.agencies.school!,
      ownerUserId: '',
      ...dateFields('dueOn', '2026-12-01'),
      status: 'in-progress',
      progress: 'Started Monday.',
    })
    assert.equal(changed.status, 302)
    const stale = await submitForm(agent, itemPath, itemPath, { version: '1', description: 'Other', ownerAgencyId: world.agencies.school!, status: 'done' })
    assert.equal(stale.status, 409)
    assert.match($(stale.text)('[data-qa=edit-conflict]').text(), /Started Monday\./)

    const shown = await agent.get(planPath).expect(200)
    const goalBlock = $(shown.text)(`[data-qa=goal-${goalRow!.id}]`)
    assert.match(goalBlock.text(), /Breakfast club place/)
    assert.match(goalBlock.text(), /In progress/)

    const next = dateFromToday(30)
    const reviewed = await submitForm(agent, `${planPath}/review`, `${planPath}/review`, {
      version: '1',
      summary: 'Attendance improving.',
      ...dateFields('nextReviewOn', next.iso),
    })
    assert.equal(reviewed.status, 302)
    const afterReview = await agent.get(planPath).expect(200)
    assert.equal($(afterReview.text)('[data-qa=plan-history] tbody tr').length, 2)

    const stepPage = await agent.get(`${planPath}/step`).expect(200)
    assert.match($(stepPage.text)('h2').first().text(), /Step up to a child in need plan/)
    const stepped = await submitForm(agent, `${planPath}/step`, `${planPath}/step`, {
      version: '2',
      to: 'child-in-need',
      episodeId: $(stepPage.text)('#episodeId option:selected').attr('value')!,
      ...dateFields('steppedOn', '2026-11-02'),
      summary: 'Needs a child in need plan.',
      leadUserId: worker.userId,
    })
    assert.equal(stepped.status, 302)
    const plans = await database.db.select().from(plan).where(eq(plan.caseId, caseId))
    const cin = plans.find((p) => p.kind === 'child-in-need')!
    assert.equal(stepped.headers.location, `/cases/${caseId}/plans/${cin.id}?saved=stepped`)
    assert.equal(plans.find((p) => p.id === eh!.id)!.endReason, 'step-up')

    const cinPath = `/cases/${caseId}/plans/${cin.id}`
    const endPage = await agent.get(`${cinPath}/end`).expect(200)
    assert.equal($(endPage.text)('input[name=endReason][value=step-up]').length, 0, 'step reasons are for the step page')
    const ended = await submitForm(agent, `${cinPath}/end`, `${cinPath}/end`, { version: '1', ...dateFields('endedOn', '2026-11-10'), endReason: 'outcomes-met' })
    assert.equal(ended.status, 302)
    const endedPage = await agent.get(cinPath).expect(200)
    assert.match($(endedPage.text)('[data-qa=plan-summary]').text(), /10 November 2026: Outcomes met/)
    assert.equal($(endedPage.text)('[data-qa=add-goal]').length, 0, 'an ended plan is not changed')
  })
})

describe('plan API', () => {
  test('plans, items, review, step and end; child protection refused', async () => {
    const { worker, caseId, episodeId } = await referredCase()
    const agent = await signedIn(worker.email)
    const token = await apiToken(agent)
    const base = `/api/v1/cases/${caseId}/plans`

    const cp = await agent.post(base).set('x-csrf-token', token).send({ kind: 'child-protection', startedOn: '2026-10-05', summary: 'No' }).expect(422)
    assert.match(cp.body.errors.kind, /conference/)

    const created = await agent.post(base).set('x-csrf-token', token).send({ kind: 'child-in-need', episodeId, startedOn: '2026-10-05', summary: 'CIN plan' }).expect(201)
    assert.equal(created.headers.location, `${base}/${created.body.id}`)
    assert.equal(created.body.kind, 'child-in-need')
    assert.deepEqual(created.body.goals, [])

    const goal = await agent.post(`${base}/${created.body.id}/items`).set('x-csrf-token', token).send({ kind: 'goal', description: 'Safe at home' }).expect(201)
    const item = await agent
      .post(`${base}/${created.body.id}/items`)
      .set('x-csrf-token', token)
      .send({ kind: 'action', description: 'Health visitor visits', goalId: goal.body.id, ownerUserId: worker.userId, dueOn: '2026-12-01' })
      .expect(201)
    assert.equal(item.body.ownerAgencyId, world.agencies.council)
    const mismatched = await agent
      .post(`${base}/${created.body.id}/items`)
      .set('x-csrf-token', token)
      .send({ kind: 'action', description: 'School to report', ownerAgencyId: world.agencies.school, ownerUserId: worker.userId })
      .expect(422)
    assert.equal(mismatched.body.errors.ownerUserId, 'This person does not work for the agency chosen')
    const patched = await agent
      .patch(`${base}/${created.body.id}/items/${item.body.id}`)
      .set('x-csrf-token', token)
      .send({ version: 1, status: 'done', progress: 'Visits done.' })
      .expect(200)
    assert.equal(patched.body.status, 'done')

    const one = await agent.get(`${base}/${created.body.id}`).expect(200)
    assert.deepEqual(one.body.goals.map((g: { actions: { id: string }[] }) => g.actions.map((a) => a.id)), [[item.body.id]])

    const reviewed = await agent
      .post(`${base}/${created.body.id}/review`)
      .set('x-csrf-token', token)
      .send({ version: 1, summary: 'Going well', nextReviewOn: dateFromToday(20).iso })
      .expect(200)
    assert.equal(reviewed.body.summary, 'Going well')
    assert.equal(reviewed.body.history.length, 2)

    const stepped = await agent
      .post(`${base}/${created.body.id}/step`)
      .set('x-csrf-token', token)
      .send({ version: 2, steppedOn: '2026-11-05', to: 'early-help', summary: 'Early help' })
      .expect(201)
    assert.equal(stepped.body.ended.endReason, 'step-down-early-help')
    assert.equal(stepped.body.started.previousPlanId, created.body.id)

    const ended = await agent
      .post(`${base}/${stepped.body.started.id}/end`)
      .set('x-csrf-token', token)
      .send({ version: 1, endedOn: '2026-11-06', endReason: 'outcomes-met' })
      .expect(200)
    assert.equal(ended.body.endReason, 'outcomes-met')

    const listed = await agent.get(base).expect(200)
    assert.equal(listed.body.length, 2)
  })
})
