/**
 * `together validate cin-census` and `together export cin-census` as a user runs them: output
 * lines, exit codes (0 no errors, 1 errors, 2 bad file or arguments), on a throwaway embedded database.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'drizzle-orm'
import { CIN_REFERENCE_DIR, cinSchemaErrors } from '../support/cin-census-xsd.ts'
import { openDatabase, queryRows } from '../../src/db/connection.ts'

const bin = join(import.meta.dirname, '../../bin/together.js')
let dir: string
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'together-cin-cli-'))
})
after(() => rmSync(dir, { recursive: true, force: true }))

function together(args: string[]) {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', TOGETHER_DATA_DIR: join(dir, 'data'), LOG_LEVEL: 'silent' }
  return spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env, timeout: 240_000 })
}

const lines = (stdout: string) => stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>)

describe('together validate cin-census', () => {
  test('the clean sample: only a summary line, exit 0', () => {
    const run = together(['validate', 'cin-census', join(CIN_REFERENCE_DIR, 'sample_cin_2024-25_synthetic_50_clean.xml'), '--json'])
    assert.equal(run.status, 0, run.stderr)
    assert.deepEqual(lines(run.stdout), [{ summary: { year: 2025, children: 50, errors: 0, queries: 0, rules: {} } }])
  })

  test('the sample with errors: one line per finding, the summary last, exit 1', () => {
    const run = together(['validate', 'cin-census', join(CIN_REFERENCE_DIR, 'sample_cin_2024-25_synthetic_1000_with_errors.xml'), '--json'])
    assert.equal(run.status, 1, run.stderr)
    const out = lines(run.stdout)
    const summary = out.pop()!.summary as { errors: number; queries: number }
    assert.equal(out.length, summary.errors + summary.queries)
    for (const f of out) assert.deepEqual(Object.keys(f).sort(), ['child', 'field', 'message', 'rule', 'table', 'type'])
    assert.ok(out.some((f) => f.rule === '8510' && f.child === 'C0000004' && f.type === 'error'))
  })

  test('bad files and arguments: one line on stderr, exit 2', () => {
    const notXml = join(dir, 'not.xml')
    writeFileSync(notXml, 'hello')
    const noYear = join(dir, 'no-year.xml')
    writeFileSync(noYear, '<Message><Children><Child><ChildIdentifiers><LAchildID>A1</LAchildID></ChildIdentifiers></Child></Children></Message>')
    for (const args of [[notXml], [join(dir, 'missing.xml')], [noYear], [noYear, '--year', '25'], [noYear, '--year', '2019']]) {
      const run = together(['validate', 'cin-census', ...args])
      assert.equal(run.status, 2, `${args.join(' ')}: ${run.stderr}`)
      assert.match(run.stderr.trim().split('\n')[0]!, /^(together|error): /, run.stderr)
      assert.equal(run.stdout, '')
    }
    assert.equal(together(['validate', 'cin-census', noYear, '--year', '2025', '--json']).status, 1)
  })
})

describe('together export cin-census', () => {
  test('exports the demo partnership: XSD-valid, no errors, the LA code from the partnership setting or --lea', async () => {
    assert.equal(together(['seed', '--demo']).status, 0)
    const out = join(dir, 'census.xml')
    const run = together(['export', 'cin-census', '--year', '2027', '--out', out])
    assert.equal(run.status, 2)
    assert.match(run.stderr, /draft/)
    const year = new Date().getUTCMonth() >= 3 ? new Date().getUTCFullYear() + 1 : new Date().getUTCFullYear()
    const census = String(Math.min(year, 2026))
    const exported = together(['export', 'cin-census', '--year', census, '--out', out, '--json'])
    assert.equal(exported.status, 0, exported.stdout + exported.stderr)
    const summary = lines(exported.stdout).pop()!.summary as { children: number; errors: number; file: string }
    assert.equal(summary.file, out)
    assert.equal(summary.errors, 0)
    const xml = readFileSync(out, 'utf8')
    assert.match(xml, /<LEA>999<\/LEA>/, 'the demo partnership’s fictional LA code')
    if (summary.children === 0) assert.match(xml, /<Children>\s*<\/Children>/)
    else assert.deepEqual(await cinSchemaErrors(xml, 2026), [])

    assert.equal(together(['returns', 'la-code', '93']).status, 2)
    const set = together(['returns', 'la-code', '938'])
    assert.equal(set.stdout, '938\n', set.stderr)
    assert.equal(together(['export', 'cin-census', '--year', census, '--out', out]).status, 0)
    assert.match(readFileSync(out, 'utf8'), /<LEA>938<\/LEA>/)

    // The format of the LA child IDs Together gives (issue 17): the default, a bad one refused, a new one kept.
    assert.equal(together(['returns', 'la-child-id-format']).stdout, 'C#######\n')
    assert.equal(together(['returns', 'la-child-id-format', 'C-##']).status, 2)
    const format = together(['returns', 'la-child-id-format', 'NS######'])
    assert.equal(format.stdout, 'NS######\n', format.stderr)
  })
})

describe('together import cin-census', () => {
  test('imports the clean sample into the demo partnership (progress on stderr, report on stdout); again: nothing changes; bad file: exit 2', async () => {
    // The demo partnership was seeded by the export test above (its children are in later census years).
    const sample = join(CIN_REFERENCE_DIR, 'sample_cin_2024-25_synthetic_50_clean.xml')
    const first = together(['import', 'cin-census', sample, '--json'])
    assert.equal(first.status, 0, first.stderr)
    assert.match(first.stderr, /Importing/)
    const [summary] = lines(first.stdout) as [{ summary: { children: number; created: number; rejected: number; records: Record<string, number> } }]
    assert.equal(summary.summary.children, 50)
    assert.equal(summary.summary.created, 50)
    assert.equal(summary.summary.rejected, 0)
    assert.ok((summary.summary.records['cin-episode'] ?? 0) >= 50)

    const again = together(['import', 'cin-census', sample])
    assert.equal(again.status, 0, again.stderr)
    assert.match(again.stdout, /50 children in .*: 0 created, matched 50 by la-child-id, 0 by upn, 0 by person-matcher, 50 already imported, 0 rejected\.\nRecords created: none\./)

    const out = join(dir, 'imported.xml')
    const exported = together(['export', 'cin-census', '--year', '2025', '--out', out, '--lea', '938', '--json'])
    assert.equal(exported.status, 0, exported.stdout)
    assert.equal(readFileSync(out, 'utf8').match(/<Child>/g)?.length, 50)

    // Recorded as the page and the API record it: each child audited against their case and on
    // their information-sharing ledger (a census for DfE, made by nobody signed in).
    const database = await openDatabase({ kind: 'pglite', dataDir: join(dir, 'data') })
    try {
      const audited = await queryRows<{ caseId: string }>(database.db, sql`select record_id as "caseId" from audit_event
        where action = 'returns:cin-census-export.child' and record_type = 'case' and detail->>'year' = '2025' and actor_user_id is null`)
      assert.equal(audited.length, 50)
      const ledger = await queryRows<{ n: number }>(database.db, sql`select count(distinct s.case_id)::int as n from information_share s
        where s.automatic = 'cin-census' and s.recorded_by is null and s.case_id::text in (${sql.join(audited.map((a) => sql`${a.caseId}`), sql`, `)})`)
      assert.equal(ledger[0]!.n, 50)
    } finally {
      await database.close()
    }

    const notXml = join(dir, 'not-census.xml')
    writeFileSync(notXml, 'hello')
    const bad = together(['import', 'cin-census', notXml])
    assert.equal(bad.status, 2, bad.stderr)
    assert.equal(together(['import', 'cin-census', join(dir, 'missing.xml')]).status, 2)
  })
})

describe('together export annex-a', () => {
  test('writes the workbook and the CSV files for a period (the census imported above), bad dates exit 2', async () => {
    const { default: ExcelJS } = await import('exceljs')
    const out = join(dir, 'annex-a.xlsx')
    const run = together(['export', 'annex-a', '--from', '2024-04-01', '--to', '2025-03-31', '--out', out])
    assert.equal(run.status, 0, run.stderr)
    const report = JSON.parse(run.stdout) as { rows: Record<string, number> }
    assert.ok(report.rows['list 3']! > 0)
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.readFile(out)
    assert.equal(workbook.worksheets.length, 11)
    assert.equal(workbook.getWorksheet('List 3')!.rowCount, report.rows['list 3']! + 1)

    const csvDir = join(dir, 'annex-a-csv')
    assert.equal(together(['export', 'annex-a', '--from', '2024-04-01', '--to', '2025-03-31', '--format', 'csv', '--out', csvDir]).status, 0)
    const csv = readFileSync(join(csvDir, 'List 3.csv'), 'utf8').trimEnd().split('\r\n')
    assert.equal(csv.length, report.rows['list 3']! + 1)

    const bad = together(['export', 'annex-a', '--from', '2025-04-01', '--to', '2025-03-31', '--out', out])
    assert.equal(bad.status, 2)
    assert.match(bad.stderr, /end date must be on or after/)
  })
})

describe('together csc-feed', () => {
  test('writes the full snapshot (valid against DfE’s schema), then only changes; --send needs its configuration', async () => {
    const { Ajv } = await import('ajv')
    const { default: addFormats } = await import('ajv-formats')
    const ajv = new Ajv({ strict: false })
    ;(addFormats as unknown as (a: unknown) => void)(ajv)
    const openapi = JSON.parse(readFileSync(join(import.meta.dirname, '../../reference-data/csc-api/dfe-csc-api.openapi.json'), 'utf8'))
    const validate = ajv.compile({ ...openapi.components.schemas.CSC, maxItems: undefined })
    const out = join(dir, 'feed.json')
    const first = together(['csc-feed', '--out', out])
    assert.equal(first.status, 0, first.stderr)
    const summary = JSON.parse(first.stdout) as { kind: string; children: number }
    assert.equal(summary.kind, 'full')
    const payload = JSON.parse(readFileSync(out, 'utf8')) as { la_child_id: string }[]
    assert.equal(payload.length, summary.children)
    assert.ok(payload.some((r) => r.la_child_id.startsWith('DEMO')))
    assert.ok(validate(payload), JSON.stringify(validate.errors?.slice(0, 3)))
    const second = together(['csc-feed', '--out', out])
    assert.deepEqual(JSON.parse(second.stdout), { kind: 'changes', children: 0, purged: 0, unchanged: summary.children, batches: 0 })
    assert.equal(readFileSync(out, 'utf8'), '[]\n')
    const send = together(['csc-feed', '--send'])
    assert.equal(send.status, 2)
    assert.match(send.stderr, /not configured/)
  })
})
