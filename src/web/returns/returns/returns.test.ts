/** The statutory returns pages: a performance analyst checks our data, downloads the census, checks a file. */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import type { TestDatabase } from '../../../../test/support/database.ts'
import { FIXED_NOW, PASSWORD, World } from '../../../../test/support/fixtures.ts'
import { cinReference } from '../../../../test/support/cin-census-xsd.ts'
import { childCase, cinEpisode } from '../../../db/schema/index.ts'
import { queryRows } from '../../../db/connection.ts'
import { eq, sql } from 'drizzle-orm'
import type { Response as AgentResponse } from 'superagent'
import { $, openTestApp, csrfFrom, signIn, type TestApp } from '../../../../test/support/web.ts'

let database: TestDatabase
let world: World
let app: TestApp
let caseId: string
let analyst: { email: string }
let worker: { email: string; userId: string }

before(async () => {
  ({ database, world, app } = await openTestApp(FIXED_NOW))
  analyst = await world.user(['performance-analyst'], { team: null })
  worker = await world.user(['social-worker'])
  // A child referred in 2024-25 whose record lacks census items (LA child ID, ethnicity, primary need ...).
  const child = await world.childCase({ worker: worker.userId })
  caseId = child.caseId
  await database.db.insert(cinEpisode).values({
    partnershipId: world.partnershipId, caseId, referralDate: '2024-06-03', referralSource: '2A', recordedBy: worker.userId,
  })
})
after(() => database.close())

/** Reads a streamed download as text (supertest buffers only text/* and JSON by itself). */
const asText = (r: AgentResponse, cb: (err: Error | null, body: string) => void) => {
  let text = ''
  r.on('data', (c: Buffer) => (text += c.toString()))
  r.on('end', () => cb(null, text))
}

async function signedIn(user: { email: string }) {
  const agent = app.agent()
  await signIn(agent, user.email, PASSWORD)
  return agent
}

describe('statutory returns pages', () => {
  test('only performance analysts see and use them', async () => {
    const agent = await signedIn(worker)
    const home = await agent.get('/').expect(200)
    assert.equal($(home.text)('a[href="/returns"]').length, 0)
    await agent.get('/returns').expect(403)
    await agent.get('/returns/cin-census?year=2025').expect(403)
    await agent.get('/returns/cin-census/export?year=2025').expect(403)
  })

  test('checking our data lists findings per child; the analyst, who may not open the case, is told whom to ask', async () => {
    const agent = await signedIn(analyst)
    const index = await agent.get('/returns').expect(200)
    assert.equal($(index.text)('a[href="/returns"]').length, 1, 'navigation item')
    const res = await agent.get('/returns/cin-census?year=2025').expect(200)
    const page = $(res.text)
    assert.match(page('[data-qa=census-summary]').text(), /Children\s+1/)
    const table = page('[data-qa=child-findings]').first()
    assert.equal(table.find('a').length, 0)
    assert.match(table.find('[data-qa=ask-worker]').text(), /ask the child’s social worker to correct it/)
    const rules = table.find('tbody tr td:first-child').map((_, td) => page(td).text().trim()).get()
    for (const rule of ['8500', '4220', '8610', '8540']) assert.ok(rules.includes(rule), `${rule} in ${rules}`)
  })

  test('an analyst who is also the child’s social worker has the link to the case, and caseReadable in the API', async () => {
    const both = await world.user(['performance-analyst', 'social-worker'], { team: null })
    await database.db.update(childCase).set({ allocatedWorkerId: both.userId }).where(eq(childCase.id, caseId))
    try {
      const agent = await signedIn(both)
      const page = $((await agent.get('/returns/cin-census?year=2025').expect(200)).text)
      assert.equal(page('[data-qa=child-findings]').first().find(`a[href="/cases/${caseId}"]`).length, 1)
      assert.equal(page('[data-qa=ask-worker]').length, 0)
      const findings = (await agent.get('/api/v1/returns/cin-census/findings?year=2025').expect(200)).body.findings as { caseId: string | null; caseReadable: boolean }[]
      assert.ok(findings.filter((f) => f.caseId === caseId).every((f) => f.caseReadable))
    } finally {
      await database.db.update(childCase).set({ allocatedWorkerId: worker.userId }).where(eq(childCase.id, caseId))
    }
  })

  test('asks for a census year it knows', async () => {
    const res = await (await signedIn(analyst)).get('/returns/cin-census?year=1999').expect(400)
    const summary = $(res.text)('.govuk-error-summary')
    assert.equal(summary.find('a[href="#year"]').length, 1)
  })

  test('downloads the census file', async () => {
    const res = await (await signedIn(analyst)).get('/returns/cin-census/export?year=2025').buffer(true).parse(asText).expect(200)
    assert.match(String(res.headers['content-disposition']), /attachment; filename="cin-census-2024-25.xml"/)
    assert.match(res.body as string, /<ReferenceDate>2025-03-31<\/ReferenceDate>/)
    assert.match(res.body as string, /<CINreferralDate>2024-06-03<\/CINreferralDate>/)
  })

  test('downloads Ofsted Annex A for a period, as a workbook or as zipped CSV files; a bad period keeps what was typed', async () => {
    const agent = await signedIn(analyst)
    const download = (path: string) =>
      agent.get(path).buffer(true).parse((r, cb) => {
        const chunks: Buffer[] = []
        r.on('data', (c: Buffer) => chunks.push(c))
        r.on('end', () => cb(null, Buffer.concat(chunks)))
      })
    const period = 'from-day=1&from-month=4&from-year=2024&to-day=31&to-month=3&to-year=2025'
    const xlsx = await download(`/returns/annex-a?${period}&format=xlsx`).expect(200)
    assert.match(String(xlsx.headers['content-disposition']), /annex-a-2024-04-01-to-2025-03-31\.xlsx/)
    const { default: ExcelJS } = await import('exceljs')
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load(xlsx.body as unknown as ArrayBuffer)
    const referrals = workbook.getWorksheet('List 3')!
    assert.equal(referrals.rowCount, 2)
    assert.deepEqual(referrals.getRow(2).getCell(6).value, new Date('2024-06-03T00:00:00Z'))
    assert.equal(referrals.getRow(2).getCell(7).value, 'b) Schools')

    const zipped = await download(`/returns/annex-a?${period}&format=csv`).expect(200)
    const { default: JSZip } = await import('jszip')
    const zip = await JSZip.loadAsync(zipped.body as Buffer)
    assert.equal(Object.keys(zip.files).length, 11)
    assert.match(await zip.file('List 3.csv')!.async('string'), /03\/06\/2024,b\) Schools,False,1/)

    const bad = await agent.get('/returns/annex-a?from-day=31&from-month=2&from-year=2025&to-day=1&to-month=3&to-year=2025').expect(400)
    const page = $(bad.text)
    assert.equal(page('.govuk-error-summary a[href="#from"]').length, 1)
    assert.equal(page('input[name=from-day]').val(), '31')
    await (await signedIn(worker)).get(`/returns/annex-a?${period}`).expect(403)
  })

  test('the performance page: figures for a period and team, charts as images with a title and description beside tables', async () => {
    const agent = await signedIn(analyst)
    const index = $((await agent.get('/returns').expect(200)).text)
    assert.equal(index('a[data-qa=performance-link]').attr('href'), '/returns/performance')
    await agent.get('/returns/performance').expect(200)
    const res = await agent.get('/returns/performance?from-day=1&from-month=4&from-year=2024&to-day=31&to-month=3&to-year=2025').expect(200)
    const page = $(res.text)
    assert.match(page('[data-qa=rates] tbody tr').first().text(), /Referrals\s+1/)
    for (const chart of ['by-category', 'by-duration']) {
      const svg = page(`svg[data-qa=chart-${chart}]`)
      assert.equal(svg.attr('role'), 'img')
      assert.equal(svg.find('title').length, 1)
      assert.equal(svg.find('desc').length, 1)
    }
    const other = $((await agent.get(`/returns/performance?from-day=1&from-month=4&from-year=2024&to-day=31&to-month=3&to-year=2025&team=${world.teams['front-door']}`).expect(200)).text)
    assert.match(other('[data-qa=rates] tbody tr').first().text(), /Referrals\s+0/, 'the case is the assessment team’s')
    const bad = $((await agent.get('/returns/performance?from-day=1&from-month=4&from-year=2025&to-day=31&to-month=3&to-year=2025').expect(400)).text)
    assert.equal(bad('.govuk-error-summary a[href="#to"]').length, 1)
    await (await signedIn(worker)).get('/returns/performance').expect(403)
  })

  test('checks an uploaded census file, and refuses what is not one', async () => {
    const agent = await signedIn(analyst)
    const token = csrfFrom((await agent.get('/returns').expect(200)).text)
    const clean = await agent.post('/returns/cin-census/check')
      .field('_csrf', token).field('year', '')
      .attach('file', Buffer.from(cinReference('sample_cin_2024-25_synthetic_50_clean.xml')), 'clean.xml').expect(200)
    assert.match($(clean.text)('[data-qa=census-summary]').text(), /Children\s+50/)
    assert.equal($(clean.text)('[data-qa=no-findings]').length, 1)

    const errors = await agent.post('/returns/cin-census/check').field('_csrf', token)
      .attach('file', Buffer.from(cinReference('sample_cin_2024-25_synthetic_1000_with_errors.xml')), 'errors.xml').expect(200)
    assert.match($(errors.text)('[data-qa=census-summary]').text(), /Errors \(must be fixed\)\s+45/)
    assert.equal($(errors.text)('[data-qa=child-findings] a[href^="/cases/"]').length, 0, 'no case links for a file')

    const bad = await agent.post('/returns/cin-census/check').field('_csrf', token)
      .attach('file', Buffer.from('<html></html>'), 'page.html').expect(400)
    assert.match($(bad.text)('.govuk-error-summary a[href="#file"]').text(), /not a CIN census/)

    // An upload is a form like any other: without the form's token it is refused, and not read.
    await agent.post('/returns/cin-census/check').attach('file', Buffer.from('<x/>'), 'x.xml').expect(403)
  })
})

describe('statutory returns API', () => {
  test('is for performance analysts only, like the pages', async () => {
    const agent = await signedIn(worker)
    for (const path of ['/returns/cin-census/findings?year=2025', '/returns/cin-census/file?year=2025', '/returns/annex-a?from=2024-04-01&to=2025-03-31', '/returns/performance', '/returns/teams']) {
      const res = await agent.get(`/api/v1${path}`).expect(403)
      assert.match(String(res.headers['content-type']), /application\/problem\+json/, path)
    }
  })

  test('census findings on our data name the rule, the child and the case to fix; a year it does not know is a 422', async () => {
    const agent = await signedIn(analyst)
    const res = await agent.get('/api/v1/returns/cin-census/findings?year=2025').expect(200)
    assert.equal(res.body.summary.children, 1)
    const rules = (res.body.findings as { rule: string; caseId: string | null }[]).filter((f) => f.caseId === caseId).map((f) => f.rule)
    for (const rule of ['8500', '4220', '8610', '8540']) assert.ok(rules.includes(rule), `${rule} in ${rules}`)
    const bad = await agent.get('/api/v1/returns/cin-census/findings?year=1999').expect(422)
    assert.match(bad.body.errors.year, /2024, 2025, 2026/)
  })

  test('streams the census file', async () => {
    const res = await (await signedIn(analyst)).get('/api/v1/returns/cin-census/file?year=2025').buffer(true).parse(asText).expect(200)
    assert.match(String(res.headers['content-type']), /application\/xml/)
    assert.match(String(res.headers['content-disposition']), /filename="cin-census-2024-25.xml"/)
    assert.match(res.body as string, /<CINreferralDate>2024-06-03<\/CINreferralDate>/)
    // The child in the file has it in their access history: one entry per child per file.
    const count = async () => (await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from audit_event where action = 'returns:cin-census-export.child' and record_type = 'case' and record_id = ${caseId}`))[0]!.n
    const before = await count()
    assert.ok(before >= 1)
    await (await signedIn(analyst)).get('/api/v1/returns/cin-census/file?year=2025').buffer(true).parse(asText).expect(200)
    assert.equal(await count(), before + 1)
  })

  test('Annex A lists come as rows keyed by column name; a period that ends before it starts is a 422', async () => {
    const agent = await signedIn(analyst)
    const res = await agent.get('/api/v1/returns/annex-a?from=2024-04-01&to=2025-03-31').expect(200)
    const lists = res.body as { list: number; columns: string[]; rows: Record<string, unknown>[] }[]
    assert.equal(lists.length, 11)
    const referrals = lists.find((l) => l.list === 3)!
    assert.equal(referrals.rows.length, 1)
    assert.deepEqual(Object.keys(referrals.rows[0]!), referrals.columns)
    assert.equal(referrals.rows[0]!['Date of referral'], '2024-06-03')
    const bad = await agent.get('/api/v1/returns/annex-a?from=2025-04-01&to=2025-03-31').expect(422)
    assert.match(bad.body.errors.to, /on or after the start date/)
    await agent.get('/api/v1/returns/annex-a?from=2025-02-31&to=2025-03-31').expect(422)
  })

  test('performance figures for a period and team, the last twelve months by default', async () => {
    const agent = await signedIn(analyst)
    const year = await agent.get('/api/v1/returns/performance?from=2024-04-01&to=2025-03-31').expect(200)
    assert.equal(year.body.figures.referrals, 1)
    assert.deepEqual(year.body.period, { from: '2024-04-01', to: '2025-03-31' })
    const team = await agent.get(`/api/v1/returns/performance?from=2024-04-01&to=2025-03-31&team=${world.teams['front-door']}`).expect(200)
    assert.equal(team.body.figures.referrals, 0, 'the case is the assessment team’s')
    const recent = await agent.get('/api/v1/returns/performance').expect(200)
    assert.deepEqual(recent.body.period, { from: '2025-11-21', to: '2026-11-20' })
    const half = await agent.get('/api/v1/returns/performance?from=2024-04-01').expect(422)
    assert.match(half.body.errors.to, /both the start and the end date/)
    const teams = await agent.get('/api/v1/returns/teams').expect(200)
    assert.ok((teams.body as { id: string }[]).some((t) => t.id === world.teams['front-door']))
  })
})

describe('the current census year (issue 16, item 16)', () => {
  const checkedYear = (html: string) => $(html)('[data-qa=check-own-data] input[name=year]:checked').val()

  test('is shown and chosen on the census form: 2026-27 in December 2026, 2025-26 in February 2026', async () => {
    try {
      app.setNow(new Date('2026-12-06T10:00:00Z'))
      let agent = await signedIn(analyst)
      const december = await agent.get('/returns').expect(200)
      assert.match($(december.text)('[data-qa=current-census-year]').text(), /The current census year is 2026 to 2027 \(1 April 2026 to 31 March 2027/)
      assert.equal(checkedYear(december.text), '2027')
      const found = await agent.get('/returns/cin-census?year=2027').expect(200)
      assert.match($(found.text)('[data-qa=census-summary]').text(), /2026 to 2027/)
      const api = await agent.get('/api/v1/returns/cin-census/current-year').expect(200)
      assert.deepEqual(api.body, { year: 2027, label: '2026 to 2027', from: '2026-04-01', to: '2027-03-31', rules: 'draft' })
      // The API checks the current year too, with DfE's draft rules.
      const draft = await agent.get('/api/v1/returns/cin-census/findings?year=2027').expect(200)
      assert.equal(draft.body.summary.year, 2027)

      app.setNow(new Date('2026-02-10T10:00:00Z'))
      agent = await signedIn(analyst)
      const february = await agent.get('/returns').expect(200)
      assert.match($(february.text)('[data-qa=current-census-year]').text(), /2025 to 2026/)
      assert.equal(checkedYear(february.text), '2026')
      await agent.get('/returns/cin-census?year=2027').expect(400) // a draft year is offered only once it has begun
      const early = await agent.get('/api/v1/returns/cin-census/findings?year=2027').expect(422)
      assert.match(early.body.errors.year, /2024, 2025, 2026$/)
    } finally {
      app.setNow(FIXED_NOW)
    }
    await (await signedIn(worker)).get('/api/v1/returns/cin-census/current-year').expect(403)
  })
})

describe('importing a census file (issue 17, section 7)', () => {
  const named = (id: string, given: string) => `<?xml version="1.0"?><Message><Header><CollectionDetails><Collection>CIN</Collection><Year>2025</Year><ReferenceDate>2025-03-31</ReferenceDate></CollectionDetails></Header><Children>
    <Child><ChildIdentifiers><LAchildID>${id}</LAchildID><Forename>${given}</Forename><Surname>Imported</Surname><PersonBirthDate>2015-02-01</PersonBirthDate><Sex>F</Sex></ChildIdentifiers>
    <CINdetails><CINreferralDate>2024-06-03</CINreferralDate><ReferralSource>2A</ReferralSource><PrimaryNeedCode>N4</PrimaryNeedCode><ReferralNFA>0</ReferralNFA></CINdetails></Child>
    <Child><ChildIdentifiers><UPN>A938123456780</UPN></ChildIdentifiers><CINdetails><CINreferralDate>2024-06-03</CINreferralDate><ReferralSource>2A</ReferralSource><ReferralNFA>0</ReferralNFA></CINdetails></Child>
    </Children></Message>`

  test('the page imports a file: counts, each child not imported with the reason, DfE rules per child; a broken file imports nothing', async () => {
    const admin = await world.user(['administrator'], { team: null })
    await (await signedIn(analyst)).get('/returns/cin-census/import').expect(403)
    const agent = await signedIn(admin)
    const home = await agent.get('/').expect(200)
    assert.equal($(home.text)('a[href="/returns/cin-census/import"]').length, 1)
    const token = csrfFrom((await agent.get('/returns/cin-census/import').expect(200)).text)
    const res = await agent.post('/returns/cin-census/import').field('_csrf', token).attach('file', Buffer.from(named('PAGE001', 'Petra')), 'page.xml').expect(200)
    const page = $(res.text)
    assert.match(page('[data-qa=import-summary]').text(), /Children in the file\s+2/)
    assert.match(page('[data-qa=import-summary]').text(), /New children recorded\s+1/)
    assert.match(page('[data-qa=rejected]').text(), /no LAchildID/)
    assert.match(page('[data-qa=import-validation]').text(), /\d+ errors/)
    assert.ok(page('[data-qa=child-findings]').length > 0)
    const [p] = await queryRows<{ given_name: string }>(database.db, sql`select given_name from person where la_child_id = 'PAGE001'`)
    assert.equal(p?.given_name, 'Petra')

    const broken = await agent.post('/returns/cin-census/import').field('_csrf', token).attach('file', Buffer.from(named('PAGE002', 'Pia').slice(0, 400)), 'broken.xml').expect(400)
    assert.match($(broken.text)('.govuk-error-summary').text(), /broken.xml could not be read, so nothing in it was imported/)
    assert.equal((await queryRows(database.db, sql`select 1 from person where la_child_id = 'PAGE002'`)).length, 0)
  })

  test('the API imports an XML body through the same service; administrators only; a broken file is a 422 and imports nothing', async () => {
    const admin = await world.user(['administrator'], { team: null })
    const agent = await signedIn(admin)
    const csrf = (await agent.get('/api/v1/me')).body.csrfToken as string
    const res = await agent.post('/api/v1/returns/cin-census/imports?name=api.xml').set('x-csrf-token', csrf).set('Content-Type', 'application/xml').send(named('API001', 'Ava')).expect(200)
    assert.equal(res.body.report.file, 'api.xml')
    assert.equal(res.body.report.created, 1)
    assert.deepEqual(res.body.report.rejected, [{ child: null, position: 2, reason: 'no LAchildID' }])
    assert.ok((res.body.findings as { rule: string; child: string }[]).some((f) => f.child === 'API001'))
    const again = await agent.post('/api/v1/returns/cin-census/imports').set('x-csrf-token', csrf).set('Content-Type', 'application/xml').send(named('API001', 'Ava')).expect(200)
    assert.equal(again.body.report.unchanged, 1)
    const broken = await agent.post('/api/v1/returns/cin-census/imports').set('x-csrf-token', csrf).set('Content-Type', 'application/xml').send(named('API002', 'Bo').slice(0, 400)).expect(422)
    assert.match(broken.body.errors.file, /nothing in it was imported/)
    assert.equal((await queryRows(database.db, sql`select 1 from person where la_child_id = 'API002'`)).length, 0)
    await agent.post('/api/v1/returns/cin-census/imports').set('x-csrf-token', csrf).set('Content-Type', 'application/json').send({}).expect(415)
    const analystAgent = await signedIn(analyst)
    await analystAgent.post('/api/v1/returns/cin-census/imports').set('x-csrf-token', (await analystAgent.get('/api/v1/me')).body.csrfToken).set('Content-Type', 'application/xml').send(named('API003', 'Cy')).expect(403)
    const doc = await agent.get('/api/v1/openapi.json').expect(200)
    assert.ok(doc.body.paths['/returns/cin-census/imports'].post.requestBody.content['application/xml'])
  })
})

describe('the DfE daily feed page and API (issue 17, sections 7 and 8)', () => {
  test('an analyst turns the feed on and off and sends it now; each run is listed with its result; a social worker may not', async () => {
    const agent = await signedIn(analyst)
    const page = await agent.get('/returns/csc-feed').expect(200)
    assert.match($(page.text)('[data-qa=feed-status]').text(), /Daily feed\s+Off/)
    await agent.post('/returns/csc-feed').type('form').send({ _csrf: csrfFrom(page.text), enabled: 'on' }).expect(303)
    const on = await agent.get('/returns/csc-feed?saved=on').expect(200)
    assert.match($(on.text)('[data-qa=feed-status]').text(), /Daily feed\s+On/)
    assert.match($(on.text)('[data-qa=feed-saved]').text(), /The daily feed is on/)
    // No DfE API settings in the test server: the run fails, and says why.
    await agent.post('/returns/csc-feed/run').type('form').send({ _csrf: csrfFrom(on.text) }).expect(303)
    const failed = await agent.get('/returns/csc-feed?saved=failed').expect(200)
    assert.match($(failed.text)('[data-qa=feed-runs]').text(), /Failed\s+the feed is not configured/)

    const csrf = (await agent.get('/api/v1/me')).body.csrfToken as string
    const status = await agent.get('/api/v1/returns/csc-feed').expect(200)
    assert.equal(status.body.enabled, true)
    assert.equal(status.body.lastRun.status, 'failed')
    const off = await agent.put('/api/v1/returns/csc-feed').set('x-csrf-token', csrf).send({ enabled: false }).expect(200)
    assert.equal(off.body.enabled, false)
    await agent.put('/api/v1/returns/csc-feed').set('x-csrf-token', csrf).send({ enabled: 'yes' }).expect(422)
    const run = await agent.post('/api/v1/returns/csc-feed/runs').set('x-csrf-token', csrf).expect(201)
    assert.equal(run.body.trigger, 'manual')
    const runs = await agent.get('/api/v1/returns/csc-feed/runs').expect(200)
    assert.equal((runs.body as unknown[]).length, 2)

    const other = await signedIn(worker)
    await other.get('/returns/csc-feed').expect(403)
    await other.get('/api/v1/returns/csc-feed').expect(403)
  })
})
