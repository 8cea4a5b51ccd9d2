/**
 * Section 11 audits in the JSON API: a template, a cycle, an agency's answers, a challenge and its
 * answer, agreement, an action to closure and the comparison with the earlier cycle; who is refused
 * (403), another partnership's ids (404), stale versions (409), invalid input (422); the OpenAPI document.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import type { TestDatabase } from '../../../../test/support/database.ts'
import { FIXED_NOW, World } from '../../../../test/support/fixtures.ts'
import { openTestApp, type TestApp } from '../../../../test/support/web.ts'
import { createApiToken } from '../../../services/access/api-tokens.ts'
import { DEFAULT_STANDARDS_TEXT } from '../../../services/partnership/section11/templates.ts'

let database: TestDatabase
let world: World
let app: TestApp
before(async () => ({ database, world, app } = await openTestApp(FIXED_NOW)))
after(() => database.close())

type Auth = { authorization: string }
async function auth(user: { email: string }): Promise<Auth> {
  const { token } = await createApiToken(database.db, { email: user.email, name: 'section 11', now: new Date() })
  return { authorization: `Bearer ${token}` }
}

const CODES = ['1', '2', '3', '4', '5', '6']
const answers = (rating: string) => Object.fromEntries(CODES.map((c) => [c, { rating, evidence: `Evidence for ${c}` }]))
const ratings = (rating: string) => Object.fromEntries(CODES.map((c) => [c, rating]))

/** A template and a cycle issued to the school through the API; the school's return. */
async function issued(unit: Auth, schoolUserId: string, name: string, issuedOn: string) {
  const template = await app.agent().post('/api/v1/section-11/templates').set(unit).send({ name: `Standards for ${name}`, standards: DEFAULT_STANDARDS_TEXT })
  assert.equal(template.status, 201, JSON.stringify(template.body))
  const cycle = await app.agent().post('/api/v1/section-11/cycles').set(unit).send({ templateId: template.body.id, name, issuedOn, answersDueOn: '2026-12-01', contactUserIds: [schoolUserId] })
  assert.equal(cycle.status, 201, JSON.stringify(cycle.body))
  return { template: template.body, cycle: cycle.body, returnId: cycle.body.returns[0].id as string, cycleLocation: cycle.headers.location }
}

describe('section 11 in the API', () => {
  test('a cycle from template to agreement, with a challenge, an action to closure and the comparison with the earlier cycle', async () => {
    const unit = await auth(await world.user(['business-unit'], { team: null }))
    const schoolUser = await world.user(['partner-practitioner'], { agency: 'school', team: null })
    const school = await auth(schoolUser)

    // Templates: 422 on standards that do not parse; 201 with Location; a change names the version.
    const badTemplate = await app.agent().post('/api/v1/section-11/templates').set(unit).send({ name: 'Empty', standards: '' }).expect(422)
    assert.ok(badTemplate.body.errors.standards)
    const { template, cycle: earlierCycle, returnId: earlier } = await issued(unit, schoolUser.userId, '2024 audit', '2024-10-01')
    assert.equal(template.standards.length, 6)
    assert.equal((await app.agent().get(`/api/v1/section-11/templates/${template.id}`).set(unit).expect(200)).body.standardsText, template.standardsText)
    const renamed = await app.agent().put(`/api/v1/section-11/templates/${template.id}`).set(unit).send({ name: 'Renamed', standards: DEFAULT_STANDARDS_TEXT, version: 1 }).expect(200)
    assert.equal(renamed.body.name, 'Renamed')
    await app.agent().put(`/api/v1/section-11/templates/${template.id}`).set(unit).send({ name: 'Stale', standards: DEFAULT_STANDARDS_TEXT, version: 1 }).expect(409)
    assert.ok((await app.agent().get('/api/v1/section-11/templates').set(unit).expect(200)).body.some((t: { id: string }) => t.id === template.id))

    // The earlier cycle agreed at "partly met" throughout.
    assert.equal(earlierCycle.cycle.nextCycleDueOn, '2026-10-01')
    await app.agent().put(`/api/v1/section-11/returns/${earlier}/answers`).set(school).send({ answers: answers('partly-met'), submit: true, version: 1 }).expect(200)
    await app.agent().put(`/api/v1/section-11/returns/${earlier}/agreement`).set(unit).send({ ratings: ratings('partly-met'), version: 2 }).expect(200)

    // This cycle: 422 on a bad cycle; then issued with its Location.
    const badCycle = await app.agent().post('/api/v1/section-11/cycles').set(unit).send({ templateId: template.id, name: 'Bad', issuedOn: '2026-11-01', answersDueOn: '2026-10-01', contactUserIds: [] }).expect(422)
    assert.ok(badCycle.body.errors.answersDueOn && badCycle.body.errors.contactUserIds)
    const cycle = await app.agent().post('/api/v1/section-11/cycles').set(unit).send({ templateId: template.id, name: '2026 audit', issuedOn: '2026-11-01', answersDueOn: '2026-12-01', contactUserIds: [schoolUser.userId] }).expect(201)
    assert.equal(cycle.headers.location, `/api/v1/section-11/cycles/${cycle.body.cycle.id}`)
    const id = cycle.body.returns[0].id as string
    const listed = await app.agent().get('/api/v1/section-11/cycles').set(unit).expect(200)
    assert.deepEqual(listed.body.cycles.slice(0, 2).map((c: { name: string }) => c.name), ['2026 audit', '2024 audit'])
    assert.ok((await app.agent().get('/api/v1/section-11/returns').set(school).expect(200)).body.some((r: { id: string }) => r.id === id))

    // The school answers, starting from the ratings agreed before; submitting needs every standard.
    let ret = await app.agent().get(`/api/v1/section-11/returns/${id}`).set(school).expect(200)
    assert.deepEqual(ret.body.carriedForward, { cycleName: '2024 audit', ratings: ratings('partly-met') })
    assert.equal(ret.body.may.answer, true)
    const partial = await app.agent().put(`/api/v1/section-11/returns/${id}/answers`).set(school).send({ answers: { '1': { rating: 'met', evidence: 'Board lead named' } }, submit: true, version: 1 }).expect(422)
    assert.equal(partial.body.errors['rating-2'], 'Select a rating for standard 2')
    ret = await app.agent().put(`/api/v1/section-11/returns/${id}/answers`).set(school).send({ answers: { ...answers('met'), '3': { rating: 'not-met', evidence: 'Checks are patchy' } }, submit: true, version: 1 }).expect(200)
    assert.equal(ret.body.ret.status, 'submitted')
    await app.agent().post(`/api/v1/section-11/returns/${id}/challenges`).set(unit).send({ standardCode: '1', comment: 'Read before the submission', version: 1 }).expect(409)

    // A challenge (201, the return as Location) and its answer; agreement waits for it.
    const challenged = await app.agent().post(`/api/v1/section-11/returns/${id}/challenges`).set(unit).send({ standardCode: '1', comment: 'Who is the board lead?', version: 2 }).expect(201)
    assert.equal(challenged.headers.location, `/api/v1/section-11/returns/${id}`)
    assert.deepEqual(challenged.body.openChallenges, ['1'])
    await app.agent().post(`/api/v1/section-11/returns/${id}/challenges`).set(unit).send({ standardCode: '99', comment: 'x', version: 3 }).expect(422)
    const waiting = await app.agent().put(`/api/v1/section-11/returns/${id}/agreement`).set(unit).send({ ratings: ratings('met'), version: 3 }).expect(422)
    assert.match(waiting.body.errors.version, /open challenges/)
    const answered = await app.agent().post(`/api/v1/section-11/returns/${id}/challenge-responses`).set(school).send({ standardCode: '1', response: 'The head teacher; minutes attached', rating: 'partly-met', version: 3 }).expect(201)
    assert.equal(answered.body.ret.status, 'submitted')
    assert.equal(answered.body.answers['1'].rating, 'partly-met')
    const agreed = await app.agent().put(`/api/v1/section-11/returns/${id}/agreement`).set(unit).send({ ratings: { ...ratings('met'), '1': 'partly-met', '3': 'not-met' }, version: 4 }).expect(200)
    assert.equal(agreed.body.ret.status, 'agreed')
    assert.deepEqual(agreed.body.comparison.rows.map((r: { code: string; movement: string }) => [r.code, r.movement]), [['1', 'same'], ['2', 'improved'], ['3', 'worse'], ['4', 'improved'], ['5', 'improved'], ['6', 'improved']])

    // An action owned by the school's user (201 with its Location), evidenced and closed.
    const police = await world.user(['partner-practitioner'], { agency: 'police', team: null })
    await app.agent().post(`/api/v1/section-11/returns/${id}/actions`).set(unit).send({ standardCode: '3', text: 'Audit recruitment files', ownerUserId: police.userId, actionDueOn: '2026-12-19' }).expect(422)
    const action = await app.agent().post(`/api/v1/section-11/returns/${id}/actions`).set(unit).send({ standardCode: '3', text: 'Audit recruitment files', ownerUserId: schoolUser.userId, actionDueOn: '2026-12-19' }).expect(201)
    assert.equal(action.headers.location, `/api/v1/section-11/actions/${action.body.id}`)
    assert.ok((await app.agent().get('/api/v1/section-11/actions').set(school).expect(200)).body.some((a: { id: string }) => a.id === action.body.id))
    await app.agent().put(`/api/v1/section-11/actions/${action.body.id}/close`).set(unit).send({ version: 1 }).expect(422)
    const evidenced = await app.agent().put(`/api/v1/section-11/actions/${action.body.id}/evidence`).set(school).send({ evidence: 'All files audited', completedOn: '2026-11-19', version: 1 }).expect(200)
    assert.equal(evidenced.body.status, 'evidence-submitted')
    await app.agent().put(`/api/v1/section-11/actions/${action.body.id}/close`).set(school).send({ version: 2 }).expect(403)
    await app.agent().put(`/api/v1/section-11/actions/${action.body.id}/close`).set(unit).send({ version: 1 }).expect(409)
    const closed = await app.agent().put(`/api/v1/section-11/actions/${action.body.id}/close`).set(unit).send({ version: 2 }).expect(200)
    assert.equal(closed.body.status, 'closed')
    assert.equal((await app.agent().get(`/api/v1/section-11/cycles/${cycle.body.cycle.id}`).set(unit).expect(200)).body.returns[0].status, 'agreed')
  })

  test('an agency sees only its own return; non-members are refused (403); another partnership gets 404', async () => {
    const unit = await auth(await world.user(['business-unit'], { team: null }))
    const schoolUser = await world.user(['partner-practitioner'], { agency: 'school', team: null })
    const { template, cycle, returnId } = await issued(unit, schoolUser.userId, 'Access check', '2026-11-01')
    const police = await auth(await world.user(['partner-practitioner'], { agency: 'police', team: null }))
    const worker = await auth(await world.user(['social-worker']))
    await app.agent().get(`/api/v1/section-11/returns/${returnId}`).set(police).expect(403)
    await app.agent().put(`/api/v1/section-11/returns/${returnId}/answers`).set(police).send({ answers: {}, version: 1 }).expect(403)
    await app.agent().put(`/api/v1/section-11/returns/${returnId}/answers`).set(unit).send({ answers: {}, version: 1 }).expect(403)
    await app.agent().post(`/api/v1/section-11/returns/${returnId}/challenges`).set(await auth(schoolUser)).send({ standardCode: '1', comment: 'x', version: 1 }).expect(403)
    for (const outsider of [police, worker]) {
      await app.agent().get('/api/v1/section-11/cycles').set(outsider).expect(403)
      await app.agent().get(`/api/v1/section-11/cycles/${cycle.cycle.id}`).set(outsider).expect(403)
      await app.agent().get('/api/v1/section-11/templates').set(outsider).expect(403)
      await app.agent().get(`/api/v1/section-11/templates/${template.id}`).set(outsider).expect(403)
      await app.agent().post('/api/v1/section-11/templates').set(outsider).send({ name: 'x', standards: DEFAULT_STANDARDS_TEXT }).expect(403)
    }

    const other = await World.create(database.db)
    const elsewhere = await auth(await other.user(['business-unit'], { team: null }))
    await app.agent().get(`/api/v1/section-11/templates/${template.id}`).set(elsewhere).expect(404)
    await app.agent().put(`/api/v1/section-11/templates/${template.id}`).set(elsewhere).send({ name: 'x', standards: DEFAULT_STANDARDS_TEXT, version: 1 }).expect(404)
    await app.agent().get(`/api/v1/section-11/cycles/${cycle.cycle.id}`).set(elsewhere).expect(404)
    await app.agent().get(`/api/v1/section-11/returns/${returnId}`).set(elsewhere).expect(404)
    await app.agent().put(`/api/v1/section-11/returns/${returnId}/agreement`).set(elsewhere).send({ ratings: {}, version: 1 }).expect(404)
    await app.agent().get('/api/v1/section-11/actions/not-an-id').set(elsewhere).expect(404)
  })

  test('every operation is in the OpenAPI document', async () => {
    const { paths } = (await app.agent().get('/api/v1/openapi.json').expect(200)).body
    const expected: [string, string][] = [
      ['/section-11/templates', 'get'], ['/section-11/templates', 'post'], ['/section-11/templates/{id}', 'get'], ['/section-11/templates/{id}', 'put'],
      ['/section-11/cycles', 'get'], ['/section-11/cycles', 'post'], ['/section-11/cycles/{id}', 'get'],
      ['/section-11/returns', 'get'], ['/section-11/returns/{id}', 'get'], ['/section-11/returns/{id}/answers', 'put'], ['/section-11/returns/{id}/challenges', 'post'],
      ['/section-11/returns/{id}/challenge-responses', 'post'], ['/section-11/returns/{id}/agreement', 'put'], ['/section-11/returns/{id}/actions', 'post'],
      ['/section-11/actions', 'get'], ['/section-11/actions/{id}', 'get'], ['/section-11/actions/{id}/evidence', 'put'], ['/section-11/actions/{id}/close', 'put'],
    ]
    for (const [path, method] of expected) assert.ok(paths[path]?.[method], `${method.toUpperCase()} ${path}`)
  })
})
