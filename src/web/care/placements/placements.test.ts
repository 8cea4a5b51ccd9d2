/**
 * The period of care's pages: starting with the 903 context and first placement (what was typed
 * kept on error), a change of legal status, a move, a temporary move and its return, the placement
 * timeline and derived episodes on the looked-after page, and a correction from an old version.
 */
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import type { TestDatabase } from '../../../../test/support/database.ts'
import { CARE_START_FORM } from '../../../../test/support/care.ts'
import { FIXED_NOW, PASSWORD, World } from '../../../../test/support/fixtures.ts'
import { $, dateFields, openTestApp, signedInAgent, submitForm, type TestApp } from '../../../../test/support/web.ts'
import { lookedAfterOfCase } from '../../../services/journey/looked-after.ts'

let database: TestDatabase
let world: World
let app: TestApp
before(async () => ({ database, world, app } = await openTestApp(FIXED_NOW)))
after(() => database.close())

test('a period of care through its pages: start, legal status, move, temporary move, return, correction', async () => {
  const worker = await world.user(['social-worker'])
  const { caseId } = await world.childCase({ worker: worker.userId })
  const agent = await signedInAgent(app, worker, PASSWORD)
  const base = `/cases/${caseId}/looked-after`

  // An unknown postcode: the error is on the field, everything typed is kept.
  let res = await submitForm(agent, `${base}/start`, `${base}/start`, { ...dateFields('startedOn', '2026-05-12'), legalStatus: 'L2', ...CARE_START_FORM, placementPostcode: 'AB1 2CD' })
  assert.equal(res.status, 400)
  assert.match($(res.text)('.govuk-error-summary').text(), /not in the postcode lookup/)
  assert.equal($(res.text)('#newCarerName').val(), 'Oak household')
  assert.equal($(res.text)('#homePostcode').val(), 'ZQ4 7RD')
  assert.equal($(res.text)('#categoryOfNeed option[selected]').val(), 'N1')
  // Previous permanence is asked on the same form (903 rule 630), checked as on its own page.
  res = await submitForm(agent, `${base}/start`, `${base}/start`, { ...dateFields('startedOn', '2026-05-12'), legalStatus: 'L2', ...CARE_START_FORM, prevPerm: 'P2', laPerm: '' })
  assert.equal(res.status, 400)
  assert.deepEqual($(res.text)('.govuk-error-summary a').map((_i, a) => $(res.text)(a).attr('href')).get(), ['#laPerm'])
  assert.equal($(res.text)('#prevPerm option[selected]').val(), 'P2')

  res = await submitForm(agent, `${base}/start`, `${base}/start`, { ...dateFields('startedOn', '2026-05-12'), legalStatus: 'L2', ...CARE_START_FORM })
  assert.equal(res.status, 302, res.text)
  const period = (await lookedAfterOfCase(world.ctx(worker), caseId)).periods[0]!

  res = await submitForm(agent, `${base}/${period.id}/legal-status`, `${base}/${period.id}/legal-status`, { legalStatus: 'C1', ...dateFields('fromOn', '2026-05-01') })
  assert.equal(res.status, 400)
  assert.match($(res.text)('.govuk-error-summary').text(), /after the start of the period/)
  res = await submitForm(agent, `${base}/${period.id}/legal-status`, `${base}/${period.id}/legal-status`, { legalStatus: 'C1', ...dateFields('fromOn', '2026-05-16') })
  assert.equal(res.status, 302)

  const move = { ...dateFields('startedOn', '2026-11-03'), endReason: 'CARPL', placeType: 'U4', provider: 'PR4', carerId: '', newCarerName: 'Birch household', newCarerKind: 'foster', newCarerUrn: 'SC123456', placementPostcode: 'ZQ8 6ED', urn: '' }
  res = await submitForm(agent, `${base}/${period.id}/placements/new`, `${base}/${period.id}/placements/new`, { ...move, provider: 'PR0' })
  assert.equal(res.status, 400)
  assert.equal($(res.text)('#newCarerUrn').val(), 'SC123456')
  res = await submitForm(agent, `${base}/${period.id}/placements/new`, `${base}/${period.id}/placements/new`, move)
  assert.equal(res.status, 302)

  res = await submitForm(agent, `${base}/${period.id}/temporary-moves/new`, `${base}/${period.id}/temporary-moves/new`, { placeType: 'T3', ...dateFields('startedOn', '2026-11-10'), ...dateFields('endedOn', ''), placementPostcode: 'ZQ5 5BL', carerId: '', newCarerName: '', newCarerKind: '', newCarerUrn: '' })
  assert.equal(res.status, 302, res.text)
  let care = (await lookedAfterOfCase(world.ctx(worker), caseId)).care[period.id]!
  const away = care.placements.find((p) => p.temporary)!
  res = await submitForm(agent, `/cases/${caseId}/placements/${away.id}/return`, `/cases/${caseId}/placements/${away.id}/return`, { version: String(away.version), ...dateFields('endedOn', '2026-11-15') })
  assert.equal(res.status, 302)

  const page = await agent.get(base)
  assert.equal(page.status, 200)
  const $page = $(page.text)
  assert.equal($page('[data-qa=placement-timeline] tbody tr').length, 3)
  assert.match($page('[data-qa=current-placement]').text(), /U4.*Birch household/s)
  assert.deepEqual(
    $page('[data-qa=episodes] tbody tr').map((_, tr) => $page(tr).find('td').eq(1).text().trim()).get(),
    ['S', 'L', 'P', 'P', 'P'],
  )
  assert.match($page('[data-qa=stability]').text(), /Placements in the last 12 months\s*2/)
  const team = await agent.get('/care/placement-stability')
  assert.equal(team.status, 200)
  assert.match($(team.text)('main').text(), /of the \d+ children in care/)

  // A correction from an old version is refused with the user's version kept.
  care = (await lookedAfterOfCase(world.ctx(worker), caseId)).care[period.id]!
  const current = care.placements.find((p) => p.current)!
  const form = { version: String(current.version), provider: 'PR4', carerId: current.carerId!, placementPostcode: 'ZQ8 6ED', urn: 'SC999999', endReason: '' }
  res = await submitForm(agent, `/cases/${caseId}/placements/${current.id}`, `/cases/${caseId}/placements/${current.id}`, form)
  assert.equal(res.status, 302, res.text)
  res = await submitForm(agent, `/cases/${caseId}/placements/${current.id}`, `/cases/${caseId}/placements/${current.id}`, { ...form, urn: 'SC888888' })
  assert.equal(res.status, 409)
  assert.equal($(res.text)('#urn').val(), 'SC888888')
})

test('a new home postcode from its page (errors linked, what was typed kept) and by the API; the period shows it', async () => {
  const worker = await world.user(['social-worker'])
  const { caseId } = await world.childCase({ worker: worker.userId })
  const agent = await signedInAgent(app, worker, PASSWORD)
  const base = `/cases/${caseId}/looked-after`
  let res = await submitForm(agent, `${base}/start`, `${base}/start`, { ...dateFields('startedOn', '2026-05-12'), legalStatus: 'C1', ...CARE_START_FORM })
  assert.equal(res.status, 302, res.text)
  const period = (await lookedAfterOfCase(world.ctx(worker), caseId)).periods[0]!
  const form = `${base}/${period.id}/home-postcode`
  assert.equal($((await agent.get(base).expect(200)).text)('[data-qa=record-home-postcode]').attr('href'), form)
  res = await submitForm(agent, form, form, { homePostcode: 'AB1 2CD', ...dateFields('fromOn', '2026-07-01') })
  assert.equal(res.status, 400)
  assert.deepEqual($(res.text)('.govuk-error-summary a').map((_i, a) => $(res.text)(a).attr('href')).get(), ['#homePostcode'])
  assert.equal($(res.text)('#homePostcode').val(), 'AB1 2CD')
  res = await submitForm(agent, form, form, { homePostcode: 'ZQ3 6HS', ...dateFields('fromOn', '2026-07-01') })
  assert.equal(res.status, 302)
  assert.match($((await agent.get(base).expect(200)).text)("[data-qa=care-context]").text().replace(/\s+/g, " "), /Home postcode since\s*ZQ3 6HS from 1 July 2026/)

  const token = (await agent.get('/api/v1/me').expect(200)).body.csrfToken as string
  const api = `/api/v1/cases/${caseId}/looked-after/${period.id}/home-postcodes`
  await agent.post(api).set('x-csrf-token', token).send({ homePostcode: 'ZQ3 6HS', fromOn: '2026-08-01' }).expect(422)
  const made = await agent.post(api).set('x-csrf-token', token).send({ homePostcode: 'ZQ1 1QH', fromOn: '2026-08-01' }).expect(201)
  assert.equal(made.body.postcode, 'ZQ1 1QH')
})
