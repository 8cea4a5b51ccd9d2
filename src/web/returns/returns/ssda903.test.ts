/**
 * The SSDA903 pages and API: the analyst checks the record's own export (findings by rule, linked
 * to the case) and downloads the files; and checks a file set uploaded from anywhere (CSV files or
 * a zip, with last year's), whose findings link to nothing.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { TestDatabase } from '../../../../test/support/database.ts'
import { FIXED_NOW, PASSWORD, World } from '../../../../test/support/fixtures.ts'
import { buildSsda903Record } from '../../../../test/support/ssda903-record.ts'
import { $, csrfFrom, openTestApp, signIn, type TestApp } from '../../../../test/support/web.ts'
import { queryRows } from '../../../db/connection.ts'
import { eq, sql } from 'drizzle-orm'
import { childCase } from '../../../db/schema/index.ts'

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
  test('the analyst checks our data: findings by rule, each child by CHILD id and whom to ask (no case they cannot open is linked); the files as a zip', async () => {
    const agent = await signedIn(analyst)
    const index = await agent.get('/returns').expect(200)
    assert.equal($(index.text)('a[href="/returns/ssda903"]').length, 1)
    await agent.get('/returns/ssda903').expect(200)
    await agent.get('/returns/ssda903/findings?year=1999').expect(400)
    // Today (FIXED_NOW) is in 2026-27: the year in progress is offered for our own data, not for a file set.
    const form = $((await agent.get('/returns/ssda903').expect(200)).text)
    assert.deepEqual(form('#year option').map((_i, o) => form(o).attr('value')).get(), ['2026', '2027'])
    assert.deepEqual(form('#check-year option').map((_i, o) => form(o).attr('value')).get(), ['2026'])
    assert.match($((await agent.get('/returns/ssda903/findings?year=2027').expect(200)).text)('h1').text(), /SSDA903 2026 to 2027/)
    const page = $((await agent.get('/returns/ssda903/findings?year=2026').expect(200)).text)
    assert.equal(page('[data-qa="ssda903-summary"]').text().replace(/\s+/g, ' ').includes('Children 3'), true)
    const rule630 = page('[data-qa="rule-findings"]').filter((_i, t) => page(t).find('caption').text().includes('Rule 630'))
    assert.equal(rule630.length, 1)
    assert.equal(page('[data-qa="rule-findings"] a').length, 0, 'the analyst may open no case: no links')
    assert.match(rule630.find('[data-qa="ask-worker"]').text(), /^T\w+ \(ask the child’s social worker to correct it\)$/)

    const zip = await agent.get('/returns/ssda903/export?year=2026').buffer(true).parse(binary).expect(200).expect('Content-Type', 'application/zip')
    const { default: JSZip } = await import('jszip')
    const files = await JSZip.loadAsync(zip.body as Buffer)
    assert.equal(Object.keys(files.files).length, 11)
    assert.match(await files.file('uasc.csv')!.async('string'), /^CHILD,SEX,DOB,DUC\r\n/)
  })

  test('an analyst who is also the social worker of one child sees the link to that child only, in the API too', async () => {
    const both = await world.user(['performance-analyst', 'social-worker'], { team: null })
    await database.db.update(childCase).set({ allocatedWorkerId: both.userId }).where(eq(childCase.id, record.uasc.caseId))
    try {
      const agent = await signedIn(both)
      const page = $((await agent.get('/returns/ssda903/findings?year=2026').expect(200)).text)
      const links = page('[data-qa="rule-findings"] a').map((_i, a) => page(a).attr('href')).get()
      assert.ok(links.length > 0)
      assert.deepEqual([...new Set(links)], [`/cases/${record.uasc.caseId}/looked-after`])
      assert.equal(page('[data-qa="ask-worker"]').length, 0, 'a child whose case they read is linked, not named to ask about')
      const findings = (await agent.get('/api/v1/returns/ssda903/findings?year=2026').expect(200)).body.findings as { caseId: string | null; caseReadable: boolean }[]
      assert.deepEqual([...new Set(findings.filter((f) => f.caseReadable).map((f) => f.caseId))], [record.uasc.caseId])

      // Allocated to another child instead: the finding's child is theirs no more, so not linked but named.
      await database.db.update(childCase).set({ allocatedWorkerId: record.worker.userId }).where(eq(childCase.id, record.uasc.caseId))
      await database.db.update(childCase).set({ allocatedWorkerId: both.userId }).where(eq(childCase.id, record.inCare.caseId))
      const other = $((await agent.get('/returns/ssda903/findings?year=2026').expect(200)).text)
      assert.equal(other('[data-qa="rule-findings"] a').length, 0)
      assert.ok(other('[data-qa="ask-worker"]').length > 0, 'the other children: whom to ask')
    } finally {
      await database.db.update(childCase).set({ allocatedWorkerId: record.worker.userId }).where(eq(childCase.id, record.inCare.caseId))
      await database.db.update(childCase).set({ allocatedWorkerId: record.worker.userId }).where(eq(childCase.id, record.uasc.caseId))
    }
  })

  test('the same in the API; others may not', async () => {
    const agent = await signedIn(analyst)
    const res = await agent.get('/api/v1/returns/ssda903/findings?year=2026').expect(200)
    assert.equal(res.body.summary.children, 3)
    assert.ok(res.body.findings.some((f: { rule: string; caseId: string }) => f.rule === '630' && f.caseId === record.uasc.caseId))
    await agent.get('/api/v1/returns/ssda903/findings?year=1999').expect(422)
    assert.equal((await agent.get('/api/v1/returns/ssda903/findings?year=2027').expect(200)).body.summary.year, 2027)
    await agent.get('/api/v1/returns/ssda903/findings?year=2028').expect(422)
    await agent.get('/api/v1/returns/ssda903/files?year=2026').buffer(true).parse(binary).expect(200).expect('Content-Type', 'application/zip')
    assert.ok(res.body.findings.every((f: { caseReadable: boolean }) => f.caseReadable === false))
    const worker = await signedIn(record.worker)
    await worker.get('/returns/ssda903/findings?year=2026').expect(403)
    await worker.get('/api/v1/returns/ssda903/findings?year=2026').expect(403)
  })
})

/** A reference sample's files (test/fixtures/ssda903: the shared reference's synthetic 903 sets), by name. */
const FIXTURES = join(import.meta.dirname, '../../../../test/fixtures/ssda903')
const sample = (set: string, year: 'this_year' | 'prev_year') =>
  readdirSync(join(FIXTURES, set, year)).map((name) => ({ name, content: readFileSync(join(FIXTURES, set, year, name)) }))
const CLEAN = 'sample_903_2025-26_synthetic_50_clean'
const ERRORS = 'sample_903_2025-26_synthetic_500_with_errors'

async function zipOf(files: { name: string; content: Buffer }[]): Promise<Buffer> {
  const { default: JSZip } = await import('jszip')
  const zip = new JSZip()
  for (const f of files) zip.file(`this_year/${f.name}`, f.content)
  return zip.generateAsync({ type: 'nodebuffer' })
}

describe('SSDA903: checking uploaded files', () => {
  const post = (agent: Awaited<ReturnType<typeof signedIn>>, token: string, fields: { year?: string; la?: string }, files: { name: string; content: Buffer }[], previous: { name: string; content: Buffer }[] = []) => {
    let req = agent.post('/returns/ssda903/check').field('_csrf', token).field('year', fields.year ?? '2026').field('la', fields.la ?? '')
    for (const f of files) req = req.attach('files', f.content, f.name)
    for (const f of previous) req = req.attach('previous', f.content, f.name)
    return req
  }

  test('the clean sample (CSV files, with last year’s as a zip) has no findings; the sample with errors has its findings by rule, linking to nothing; the run is audited', async () => {
    const agent = await signedIn(analyst)
    const token = csrfFrom((await agent.get('/returns/ssda903').expect(200)).text)
    const clean = $((await post(agent, token, { la: 'e06000999' }, sample(CLEAN, 'this_year'), [{ name: 'last-year.zip', content: await zipOf(sample(CLEAN, 'prev_year')) }]).expect(200)).text)
    const summary = clean('[data-qa="ssda903-summary"]').text().replace(/\s+/g, ' ')
    assert.match(summary, /Children 50 /)
    assert.match(summary, /Last year’s files last-year\.zip/)
    assert.match(summary, /Local authority area E06000999/)
    assert.equal(clean('[data-qa="no-findings"]').length, 1)

    const errors = $((await post(agent, token, {}, [{ name: 'ssda903.zip', content: await zipOf(sample(ERRORS, 'this_year')) }], sample(ERRORS, 'prev_year')).expect(200)).text)
    assert.match(errors('[data-qa="ssda903-summary"]').text().replace(/\s+/g, ' '), /Children 501 Errors \(must be fixed\) 115 Queries \(fix or explain\) 13/)
    const groups = errors('[data-qa="rule-findings"]')
    assert.ok(groups.length > 50, `${groups.length} rules with findings`)
    assert.equal(groups.find('a').length, 0, 'a CHILD id in a file is not ours: no links')
    assert.equal(errors('[data-qa="download-903"]').length, 0)

    const [audit] = await queryRows<{ n: string }>(database.db, sql`select count(*)::text as n from audit_event where action = 'returns:ssda903-check-file'`)
    assert.equal(audit!.n, '2')
  })

  test('a bad file is a message naming the file and the line, with the year and LA kept; what is not a 903 file or a zip is refused by name', async () => {
    const agent = await signedIn(analyst)
    const token = csrfFrom((await agent.get('/returns/ssda903').expect(200)).text)
    const header = sample(CLEAN, 'this_year').find((f) => f.name === 'header.csv')!
    const broken = { name: 'header.csv', content: Buffer.concat([header.content, Buffer.from('X1,1\r\n')]) }
    const bad = $((await post(agent, token, { la: 'E06000998' }, [broken]).expect(400)).text)
    assert.match(bad('.govuk-error-summary a[href="#files"]').text(), /header\.csv:52: 2 values where the column line has 7/)
    assert.equal(bad('#la').val(), 'E06000998')
    assert.equal(bad('#check-year option[selected]').val(), '2026')

    const lastYear = $((await post(agent, token, {}, [header], [{ name: 'episodes.csv', content: Buffer.from('CHILD,DECOM\r\n') }]).expect(400)).text)
    assert.match(lastYear('.govuk-error-summary a[href="#previous"]').text(), /episodes\.csv:1: not the Episodes table's columns/)

    const garbage = $((await post(agent, token, {}, [{ name: 'files.zip', content: Buffer.from('not a zip at all') }]).expect(400)).text)
    assert.match(garbage('.govuk-error-summary a[href="#files"]').text(), /files\.zip: is not a zip file that can be opened/)
    const photo = $((await post(agent, token, {}, [{ name: 'photo.png', content: Buffer.from([0x89, 0x50, 0x4e, 0x47]) }]).expect(400)).text)
    assert.match(photo('.govuk-error-summary a[href="#files"]').text(), /photo\.png: not one of the 903 files/)

    const nothing = $((await post(agent, token, { year: '1999', la: 'nowhere' }, []).expect(400)).text)
    assert.deepEqual(nothing('.govuk-error-summary a').map((_i, a) => nothing(a).attr('href')).get(), ['#check-year', '#la', '#files'])
  })

  test('the same in the API (the CLI’s findings and summary); others may not', async () => {
    const agent = await signedIn(analyst)
    const csrf = (await agent.get('/api/v1/me')).body.csrfToken as string
    const api = (files: { name: string; content: Buffer }[], year = '2026') => {
      let req = agent.post('/api/v1/returns/ssda903/validate').set('x-csrf-token', csrf).field('year', year)
      for (const f of files) req = req.attach('files', f.content, f.name)
      return req
    }
    const res = await api(sample(ERRORS, 'this_year')).expect(200)
    // As `together validate ssda903 DIR --json` gives them (three rows of Header are duplicates; a child has an episode and no Header row).
    assert.deepEqual([res.body.summary.children, res.body.summary.errors, res.body.summary.queries, res.body.findings.length], [501, 101, 13, 114])
    assert.deepEqual(Object.keys(res.body.findings[0]).sort(), ['child', 'field', 'message', 'rule', 'table', 'type'])
    const bad = await api([{ name: 'uasc.csv', content: Buffer.from('CHILD,SEX,DOB,DUC\r\nA\r\n') }]).expect(422)
    assert.match(JSON.stringify(bad.body), /uasc\.csv:2: 1 values where the column line has 4/)
    const worker = await signedIn(record.worker)
    const workerCsrf = (await worker.get('/api/v1/me')).body.csrfToken as string
    await worker.post('/api/v1/returns/ssda903/validate').set('x-csrf-token', workerCsrf).field('year', '2026').attach('files', Buffer.from('CHILD'), 'header.csv').expect(403)
    const token = csrfFrom((await agent.get('/returns/ssda903').expect(200)).text)
    await worker.post('/returns/ssda903/check').field('_csrf', token).attach('files', Buffer.from('CHILD'), 'header.csv').expect(403)
  })
})
