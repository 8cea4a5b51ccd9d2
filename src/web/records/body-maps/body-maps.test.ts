/**
 * Body maps (issue 18 §1), pages and API: recorded from the case, marks added on the map's page
 * (the outline front and back with numbered marks, the same marks in a table), a refusal keeps what
 * was typed; the API lists, records and adds marks (422, 409 as everywhere).
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import type { TestDatabase } from '../../../../test/support/database.ts'
import { FIXED_NOW, PASSWORD, World } from '../../../../test/support/fixtures.ts'
import { $, apiClient, dateFields, openTestApp, problemOf, signedInAgent, submitForm, type TestApp } from '../../../../test/support/web.ts'

let database: TestDatabase
let world: World
let app: TestApp
before(async () => ({ database, world, app } = await openTestApp(FIXED_NOW)))
after(() => database.close())

const errorLinks = (html: string) => $(html)('.govuk-error-summary a').map((_, a) => $(html)(a).attr('href')).get()

describe('body maps (pages)', () => {
  test('recorded, a mark refused with what was typed kept, then added; shown on the outline and in the table', async () => {
    const worker = await world.user(['social-worker'])
    const { caseId } = await world.childCase({ worker: worker.userId })
    const agent = await signedInAgent(app, worker, PASSWORD)
    const list = `/cases/${caseId}/body-maps`
    const empty = $((await agent.get(list).expect(200)).text)
    assert.equal(empty('[data-qa=no-body-maps]').length, 1)
    assert.equal(empty('[data-qa=record-body-map]').attr('href'), `${list}/new`)

    const refused = await submitForm(agent, `${list}/new`, `${list}/new`, { ...dateFields('seenOn', '2026-11-25'), seenBy: '', account: 'Said she fell off her bike' })
    assert.equal(refused.status, 400)
    assert.deepEqual(errorLinks(refused.text), ['#seenBy'])
    assert.equal($(refused.text)('#account').val(), 'Said she fell off her bike')
    const future = await submitForm(agent, `${list}/new`, `${list}/new`, { ...dateFields('seenOn', '2026-11-25'), seenBy: 'School nurse', account: 'Said she fell off her bike' })
    assert.equal(future.status, 400)
    assert.deepEqual(errorLinks(future.text), ['#seenOn-day'])
    assert.equal($(future.text)('#seenBy').val(), 'School nurse')

    const saved = await submitForm(agent, `${list}/new`, `${list}/new`, { ...dateFields('seenOn', '2026-11-19'), seenBy: 'School nurse', agencyId: '', account: 'Said she fell off her bike' })
    assert.equal(saved.status, 303)
    const mapPath = (saved.headers.location as string).replace(/\?.*$/, '')
    const shown = $((await agent.get(saved.headers.location as string).expect(200)).text)
    assert.match(shown('.govuk-notification-banner').text(), /Add each mark seen/)
    assert.equal(shown('[data-qa=body-marks-none]').length, 1)
    const markForm = shown('[data-qa=add-mark]').attr('href') as string
    assert.equal(markForm, `${mapPath}/marks/new`)

    const typed = { version: '1', region: '', kind: 'bruise', description: 'Blue, round, 2 cm', size: '2 cm', x: '', y: '' }
    const noRegion = await submitForm(agent, markForm, markForm, typed)
    assert.equal(noRegion.status, 400)
    assert.deepEqual(errorLinks(noRegion.text), ['#region'])
    assert.equal($(noRegion.text)('#description').val(), 'Blue, round, 2 cm')
    assert.equal($(noRegion.text)('input[name=kind][value=bruise]').attr('checked'), 'checked')

    const added = await submitForm(agent, markForm, markForm, { ...typed, region: 'front-right-thigh', x: '40', y: '130' })
    assert.equal(added.status, 303)
    const page = $((await agent.get(added.headers.location as string).expect(200)).text)
    const front = page('[data-qa=body-figure-front]')
    assert.equal(front.attr('aria-label'), 'Outline of the front of the body, marks 1')
    assert.equal(page('[data-qa=body-figure-back]').attr('aria-label'), 'Outline of the back of the body, no marks')
    assert.equal(front.find('[data-qa=body-mark-1] circle').attr('cx'), '40')
    const row = page('[data-qa=body-marks] tbody tr').first().text().replace(/\s+/g, ' ')
    assert.match(row, /1 Right thigh \(front\) Bruise Blue, round, 2 cm 2 cm 19 November 2026/)
    const listed = $((await agent.get(list).expect(200)).text)
    assert.match(listed('.app-case-content').text(), /Seen on 19 November 2026[\s\S]*School nurse[\s\S]*Marks\s*1/)
  })

  test('who may not change the case gets no form and no button', async () => {
    await world.team('bm-other', 'council')
    const worker = await world.user(['social-worker'], { team: 'bm-other' })
    const { caseId } = await world.childCase({ team: 'bm-other', worker: worker.userId })
    const reader = await world.user(['social-worker'], { team: 'assessment' })
    const agent = await signedInAgent(app, reader, PASSWORD)
    const res = await agent.get(`/cases/${caseId}/body-maps`)
    assert.ok([403, 404].includes(res.status) || $(res.text)('[data-qa=record-body-map]').length === 0)
    await agent.get(`/cases/${caseId}/body-maps/new`).expect(403)
  })
})

describe('body maps (API)', () => {
  test('POST records one, POST …/marks adds a mark at the version read; GET lists and shows them', async () => {
    const worker = await world.user(['social-worker'])
    const { caseId } = await world.childCase({ worker: worker.userId })
    const api = await apiClient(app, worker, PASSWORD)
    const path = `/cases/${caseId}/body-maps`
    assert.deepEqual(problemOf(await api.post(path, { seenOn: '2026-11-19' }), 422).errors, { seenBy: 'Enter who saw the marks' })
    const made = (await api.post(path, { seenOn: '2026-11-19', seenBy: 'Health visitor' }).expect(201)).body
    const marked = (await api.post(`${path}/${made.id}/marks`, { version: 1, region: 'back-left-buttock', kind: 'bruise', description: 'Purple, finger-shaped' }).expect(201)).body
    assert.deepEqual(marked.marks.map((m: { number: number; side: string }) => [m.number, m.side]), [[1, 'back']])
    problemOf(await api.post(`${path}/${made.id}/marks`, { version: 1, region: 'back-lower', kind: 'bruise', description: 'x' }), 409)
    assert.equal((await api.get(path).expect(200)).body.bodyMaps[0].marks.length, 1)
    assert.equal((await api.get(`${path}/${made.id}`).expect(200)).body.bodyMap.seenBy, 'Health visitor')
    await api.get(`${path}/00000000-0000-4000-8000-000000000000`).expect(404)
  })
})
