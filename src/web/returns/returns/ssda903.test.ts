/** The SSDA903 pages and API: the analyst checks the record's own export (findings by rule, linked to the case) and downloads the files. */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import type { TestDatabase } from '../../../../test/support/database.ts'
import { FIXED_NOW, PASSWORD, World } from '../../../../test/support/fixtures.ts'
import { buildSsda903Record } from '../../../../test/support/ssda903-record.ts'
import { $, openTestApp, signIn, type TestApp } from '../../../../test/support/web.ts'

let database: TestDatabase
let world: World
let app: TestApp
let record: Awaited<ReturnType<typeof buildSsda903Record>>
let analyst: { email: string }

before(async () => {
  ;({ database, world, app } = await openTestApp(FIXED_NOW))
  analyst = await world.user(['performance-analyst'], { team: null })
  record = await buildSsda903Record(world)
})
after(() => database.close())

async function signedIn(user: { email: string }) {
  const agent = app.agent()
  await signIn(agent, user.email, PASSWORD)
  return agent
}

const binary = (r: import('superagent').Response, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = []
  r.on('data', (c: Buffer) => chunks.push(c))
  r.on('end', () => cb(null, Buffer.concat(chunks)))
}

describe('SSDA903 pages and API', () => {
  test('the analyst checks our data: findings by rule, each child linking to their care record; the files as a zip', async () => {
    const agent = await signedIn(analyst)
    const index = await agent.get('/returns').expect(200)
    assert.equal($(index.text)('a[href="/returns/ssda903"]').length, 1)
    await agent.get('/returns/ssda903').expect(200)
    await agent.get('/returns/ssda903/findings?year=1999').expect(400)
    const page = $((await agent.get('/returns/ssda903/findings?year=2026').expect(200)).text)
    assert.equal(page('[data-qa="ssda903-summary"]').text().replace(/\s+/g, ' ').includes('Children 3'), true)
    const rule630 = page('[data-qa="rule-findings"]').filter((_i, t) => page(t).find('caption').text().includes('Rule 630'))
    assert.equal(rule630.length, 1)
    assert.equal(rule630.find(`a[href="/cases/${record.uasc.caseId}/looked-after"]`).length, 1)

    const zip = await agent.get('/returns/ssda903/export?year=2026').buffer(true).parse(binary).expect(200).expect('Content-Type', 'application/zip')
    const { default: JSZip } = await import('jszip')
    const files = await JSZip.loadAsync(zip.body as Buffer)
    assert.equal(Object.keys(files.files).length, 11)
    assert.match(await files.file('uasc.csv')!.async('string'), /^CHILD,SEX,DOB,DUC\r\n/)
  })

  test('the same in the API; others may not', async () => {
    const agent = await signedIn(analyst)
    const res = await agent.get('/api/v1/returns/ssda903/findings?year=2026').expect(200)
    assert.equal(res.body.summary.children, 3)
    assert.ok(res.body.findings.some((f: { rule: string; caseId: string }) => f.rule === '630' && f.caseId === record.uasc.caseId))
    await agent.get('/api/v1/returns/ssda903/findings?year=1999').expect(422)
    await agent.get('/api/v1/returns/ssda903/files?year=2026').buffer(true).parse(binary).expect(200).expect('Content-Type', 'application/zip')
    const worker = await signedIn(record.worker)
    await worker.get('/returns/ssda903/findings?year=2026').expect(403)
    await worker.get('/api/v1/returns/ssda903/findings?year=2026').expect(403)
  })
})
