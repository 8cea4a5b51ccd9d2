/**
 * The permanence pages through the saving they share with the placement pages: each form (the care
 * plan, the IRO, an escalation and its update, the adoption decision, match and reversal, previous
 * permanence) refuses what is missing or wrong with the error on its field and what was typed kept,
 * then saves and returns to the looked-after page. One app and one child in care for the file.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import type { TestDatabase } from '../../../../test/support/database.ts'
import { FIXED_NOW, PASSWORD, World } from '../../../../test/support/fixtures.ts'
import { $, dateFields, openTestApp, signedInAgent, submitForm, type TestApp } from '../../../../test/support/web.ts'
import { becomeLookedAfter, lookedAfterOfCase } from '../../../services/journey/looked-after.ts'
import { CARE_START, CARE_START_FORM } from '../../../../test/support/care.ts'

let database: TestDatabase
let world: World
let app: TestApp
before(async () => ({ database, world, app } = await openTestApp(FIXED_NOW)))
after(() => database.close())

test('the care plan page: errors kept on the fields, then saved and shown on the looked-after page', async () => {
  const worker = await world.user(['social-worker'])
  const { caseId } = await world.childCase({ worker: worker.userId })
  const agent = await signedInAgent(app, worker, PASSWORD)
  const base = `/cases/${caseId}/looked-after`
  let res = await submitForm(agent, `${base}/start`, `${base}/start`, { ...dateFields('startedOn', '2026-05-12'), legalStatus: 'L2', ...CARE_START_FORM })
  assert.equal(res.status, 302, res.text)
  const period = (await lookedAfterOfCase(world.ctx(worker), caseId)).periods[0]!
  const path = `${base}/${period.id}/care-plan`

  res = await submitForm(agent, path, path, { ...dateFields('agreedOn', '2026-05-20'), permanencePlan: '' })
  assert.equal(res.status, 400)
  assert.match($(res.text)('.govuk-error-summary').text(), /Select the permanence plan/)
  assert.equal($(res.text)('#agreedOn-day').val(), '20')

  res = await submitForm(agent, path, path, { ...dateFields('agreedOn', '2026-05-20'), permanencePlan: 'adoption' })
  assert.equal(res.status, 302, res.text)
  assert.match(res.headers.location ?? '', new RegExp(`^${base}\\?saved=`))
  const plan = (await lookedAfterOfCase(world.ctx(worker), caseId)).permanence[period.id]!
  assert.equal(JSON.stringify(plan).includes('"adoption"'), true, 'the care plan is recorded')
})

describe('the IRO, escalation, adoption and previous permanence pages', () => {
  let worker: Awaited<ReturnType<World['user']>>
  let chair: Awaited<ReturnType<World['user']>>
  let agent: Awaited<ReturnType<typeof signedInAgent>>
  let caseId: string
  let periodId: string
  let base: string
  const permanence = async () => (await lookedAfterOfCase(world.ctx(worker), caseId)).permanence[periodId]!

  before(async () => {
    worker = await world.user(['social-worker'])
    chair = await world.user(['conference-chair', 'independent-reviewing-officer'])
    ;({ caseId } = await world.childCase({ worker: worker.userId }))
    periodId = (await becomeLookedAfter(world.ctx(worker), caseId, { startedOn: '2026-05-12', legalStatus: 'C2', ...CARE_START })).id
    base = `/cases/${caseId}/looked-after`
    agent = await signedInAgent(app, worker, PASSWORD)
  })

  /** Posts the form at `path`; on a refusal, the page's error summary links each message to its field, which shows it. */
  async function post(path: string, fields: Record<string, string>, status: number) {
    const res = await submitForm(agent, path, path, fields)
    assert.equal(res.status, status, res.text)
    if (status === 302) assert.match(res.headers.location ?? '', new RegExp(`^${base}\\?saved=`))
    return $(res.text ?? '')
  }
  /** The field's own error message (GOV.UK's `<id>-error`), which the summary links to. */
  function errorOn(page: ReturnType<typeof $>, id: string, message: RegExp) {
    const href = page('.govuk-error-summary a').filter((_, a) => message.test(page(a).text())).attr('href') ?? ''
    assert.equal(href.replace(/-day$/, ''), `#${id}`, `the summary links ${message} to ${id}`)
    assert.match(page(`#${id}-error`).text(), message)
  }
  const selected = (page: ReturnType<typeof $>, id: string) => page(`#${id} option[selected]`).val()

  test('the IRO: not the allocated worker (the error on the IRO, the date kept), only one holding the role, then allocated', async () => {
    const path = `${base}/${periodId}/iro`
    let page = await post(path, { iroId: worker.userId, ...dateFields('fromOn', '2026-05-13') }, 400)
    errorOn(page, 'iroId', /independent of the case/)
    assert.equal(page('#fromOn-day').val(), '13')
    // Only holders of the IRO role are offered (not the worker); anyone else is refused.
    const offered = page('#iroId option').map((_, o) => page(o).val()).get()
    assert.equal(offered.includes(chair.userId) && !offered.includes(worker.userId), true, JSON.stringify(offered))
    const chairOnly = await world.user(['conference-chair'])
    page = await post(path, { iroId: chairOnly.userId, ...dateFields('fromOn', '2026-05-13') }, 400)
    errorOn(page, 'iroId', /not an independent reviewing officer/)
    page = await post(path, { iroId: '', ...dateFields('fromOn', '2026-05-13') }, 400)
    errorOn(page, 'iroId', /Select the independent reviewing officer/)
    await post(path, { iroId: chair.userId, ...dateFields('fromOn', '2026-05-13') }, 302)
    assert.deepEqual((await permanence()).iros.map((a) => [a.iroId, a.fromOn]), [[chair.userId, '2026-05-13']])
  })

  test('an IRO escalation: the stage missing (the concern and date kept), raised; then its update: resolved without the outcome, then resolved', async () => {
    const path = `${base}/${periodId}/iro-escalations/new`
    const concern = 'No contact plan with the grandparents (fictional).'
    let page = await post(path, { ...dateFields('raisedOn', '2026-06-01'), stage: '', concern }, 400)
    errorOn(page, 'stage', /Select the stage/)
    assert.equal(page('#concern').text().trim(), concern)
    assert.equal(page('#raisedOn-month').val(), '06')
    await post(path, { ...dateFields('raisedOn', '2026-06-01'), stage: 'informal', concern }, 302)
    const [escalation] = (await permanence()).escalations
    assert.equal(escalation?.concern, concern)

    const edit = `/cases/${caseId}/iro-escalations/${escalation!.id}`
    page = await post(edit, { version: String(escalation!.version), stage: 'team-manager', ...dateFields('resolvedOn', '2026-06-10'), outcome: '' }, 400)
    errorOn(page, 'outcome', /Select the outcome with the date it was resolved/)
    assert.equal(selected(page, 'stage'), 'team-manager')
    assert.equal(page('#resolvedOn-day').val(), '10')
    await post(edit, { version: String(escalation!.version), stage: 'team-manager', ...dateFields('resolvedOn', '2026-06-10'), outcome: 'resolved' }, 302)
    const [changed] = (await permanence()).escalations
    assert.deepEqual([changed?.stage, changed?.resolvedOn, changed?.outcome], ['team-manager', '2026-06-10', 'resolved'])
  })

  test('the adoption decision, match and reversal: each refused on its field with what was typed kept, then saved', async () => {
    const decisionPath = `${base}/${periodId}/adoption-decisions/new`
    let page = await post(decisionPath, dateFields('decidedOn', '2026-05-01'), 400)
    errorOn(page, 'decidedOn', /cannot be before the period of care started/)
    assert.equal(page('#decidedOn-day').val(), '01')
    await post(decisionPath, dateFields('decidedOn', '2026-06-15'), 302)
    let [decision] = (await permanence()).adoptionDecisions
    assert.equal(decision?.decidedOn, '2026-06-15')

    const matchPath = `/cases/${caseId}/adoption-decisions/${decision!.id}/match`
    const match = { version: String(decision!.version), ...dateFields('matchedOn', '2026-07-01'), adopterCount: '2', adopterSex: '', adopterLegalStatus: 'L11', adoptersFosterCarers: 'no' }
    page = await post(matchPath, match, 400)
    errorOn(page, 'adopterSex', /Select the adopters’ sexes/)
    assert.equal(selected(page, 'adopterCount'), '2')
    assert.equal(selected(page, 'adopterLegalStatus'), 'L11')
    assert.equal(page('input[name=adoptersFosterCarers][checked]').val(), 'no')
    await post(matchPath, { ...match, adopterSex: 'MF' }, 302)
    ;[decision] = (await permanence()).adoptionDecisions
    assert.deepEqual([decision?.matchedOn, decision?.adopterCount, decision?.adopterSex], ['2026-07-01', 2, 'MF'])

    const reversalPath = `/cases/${caseId}/adoption-decisions/${decision!.id}/reversal`
    page = await post(reversalPath, { version: String(decision!.version), ...dateFields('ceasedOn', '2026-08-03'), reasonCeased: '' }, 400)
    errorOn(page, 'reasonCeased', /Select why the child should no longer be placed for adoption/)
    assert.equal(page('#ceasedOn-day').val(), '03')
    await post(reversalPath, { version: String(decision!.version), ...dateFields('ceasedOn', '2026-08-03'), reasonCeased: 'RD1' }, 302)
    ;[decision] = (await permanence()).adoptionDecisions
    assert.deepEqual([decision?.ceasedOn, decision?.reasonCeased], ['2026-08-03', 'RD1'])
  })

  test('previous permanence: an order that ended needs its authority (the date typed kept), then saved', async () => {
    const path = `${base}/${periodId}/previous-permanence`
    let page = await post(path, { prevPerm: 'P2', laPerm: '', datePerm: 'zz/03/2019' }, 400)
    errorOn(page, 'laPerm', /Enter the authority that arranged the order/)
    assert.equal(selected(page, 'prevPerm'), 'P2')
    assert.equal(page('#datePerm').val(), 'zz/03/2019')
    await post(path, { prevPerm: 'P2', laPerm: '999', datePerm: 'zz/03/2019' }, 302)
    const prev = (await permanence()).previousPermanence
    assert.deepEqual([prev?.prevPerm, prev?.laPerm, prev?.datePerm], ['P2', '999', 'ZZ/03/2019'])
  })
})
