import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { after, describe, it } from 'node:test'

const root = fileURLToPath(new URL('../../../', import.meta.url))

function together(args: string[], options: { input?: string; env?: NodeJS.ProcessEnv } = {}) {
  const result = spawnSync(process.execPath, ['bin/together.js', ...args], {
    cwd: root,
    input: options.input ?? '',
    encoding: 'utf8',
    env: { ...process.env, ...options.env },
  })
  return { status: result.status, stdout: result.stdout, stderr: result.stderr }
}

function assertUsageError(args: string[], message: string): void {
  const { status, stdout, stderr } = together(args)
  assert.equal(status, 2, `exit code for ${args.join(' ')}`)
  assert.equal(stdout, '')
  assert.equal(stderr, `together: ${message}\n`)
}

describe('together due', () => {
  it('prints one JSON object and exits 0', () => {
    const { status, stdout, stderr } = together(['due', '--rule', 'assessment', '--start', '2024-03-28'])
    assert.equal(stderr, '')
    assert.equal(status, 0)
    assert.equal(stdout, '{"rule":"assessment","start":"2024-03-28","edition":2023,"limit":45,"unit":"working-days","due":"2024-06-05"}\n')
  })

  it('applies a named edition', () => {
    const { status, stdout } = together(['due', '--rule', 'initial-assessment', '--start', '2024-03-28', '--edition', '2010'])
    assert.equal(status, 0)
    assert.deepEqual(JSON.parse(stdout), {
      rule: 'initial-assessment', start: '2024-03-28', edition: 2010, limit: 10, unit: 'working-days', due: '2024-04-15',
    })
  })

  it('exits 2 with one line on stderr for an unknown rule', () => {
    assertUsageError(['due', '--rule', 'nope', '--start', '2024-03-28'], 'unknown rule: "nope" (run "together rules" for the list)')
  })

  it('exits 2 for an unknown edition', () => {
    assertUsageError(['due', '--rule', 'icpc', '--start', '2024-03-28', '--edition', '2011'],
      'unknown edition of Working Together: 2011 (editions: 2006, 2010, 2013, 2015, 2018, 2023, 2026)')
    assertUsageError(['due', '--rule', 'icpc', '--start', '2024-03-28', '--edition', 'WT2018'],
      'edition must be a year such as 2018, not "WT2018"')
  })

  it('exits 2 for a rule absent from the edition in force', () => {
    assertUsageError(['due', '--rule', 'assessment', '--start', '2012-01-01'],
      'rule assessment is not in Working Together 2010 (it is in 2013, 2015, 2018, 2023, 2026)')
    assertUsageError(['due', '--rule', 'care-proceedings', '--start', '2014-04-21'],
      'rule care-proceedings applies only to start dates from 2014-04-22, not 2014-04-21')
  })

  it('exits 2 for a malformed or impossible date', () => {
    assertUsageError(['due', '--rule', 'icpc', '--start', '2025-02-30'], 'not a valid date (expected YYYY-MM-DD): "2025-02-30"')
    assertUsageError(['due', '--rule', 'icpc', '--start', '2025-2-3'], 'not a valid date (expected YYYY-MM-DD): "2025-2-3"')
  })

  it('exits 2 when options are missing or mixed', () => {
    assertUsageError(['due', '--rule', 'icpc'], 'due needs --rule and --start (or --batch)')
    assertUsageError(['due', '--batch', '--rule', 'icpc'],
      'due --batch reads rule, start and edition from stdin: do not also give --rule, --start or --edition')
  })

  it('answers JSON lines in order in batch mode, with an error line for each bad one', () => {
    const input = [
      '{"rule":"icpc","start":"2025-12-19"}',
      '{"rule":"initial-assessment","start":"2024-03-28","edition":"2010"}',
      '{"rule":"initial-assessment","start":"2024-03-28","edition":2006}',
      '{"rule":"assessment","start":"2012-01-01"}',
      'not json',
      '{"start":"2025-01-01"}',
      '{"rule":"icpc","start":"2025-02-30"}',
      '',
      '{"rule":"lcspr","start":"2019-08-31"}\r',
    ].join('\n')
    const { status, stdout, stderr } = together(['due', '--batch'], { input })
    assert.equal(stderr, '')
    assert.equal(status, 0)
    assert.deepEqual(stdout.split('\n'), [
      '{"rule":"icpc","start":"2025-12-19","edition":2023,"limit":15,"unit":"working-days","due":"2026-01-14"}',
      '{"rule":"initial-assessment","start":"2024-03-28","edition":2010,"limit":10,"unit":"working-days","due":"2024-04-15"}',
      '{"rule":"initial-assessment","start":"2024-03-28","edition":2006,"limit":7,"unit":"working-days","due":"2024-04-10"}',
      '{"rule":"assessment","start":"2012-01-01","error":"rule assessment is not in Working Together 2010 (it is in 2013, 2015, 2018, 2023, 2026)"}',
      '{"rule":null,"start":null,"error":"not valid JSON"}',
      '{"rule":null,"start":"2025-01-01","error":"rule is missing or not a string"}',
      '{"rule":"icpc","start":"2025-02-30","error":"not a valid date (expected YYYY-MM-DD): \\"2025-02-30\\""}',
      '{"rule":null,"start":null,"error":"empty line"}',
      '{"rule":"lcspr","start":"2019-08-31","edition":2018,"limit":6,"unit":"months","due":"2020-02-29"}',
      '',
    ])
  })

  it('writes nothing for empty input', () => {
    const { status, stdout } = together(['due', '--batch'], { input: '' })
    assert.equal(status, 0)
    assert.equal(stdout, '')
  })

  describe('with TOGETHER_BANK_HOLIDAYS', () => {
    const dir = mkdtempSync(join(tmpdir(), 'together-due-'))
    after(() => rmSync(dir, { recursive: true, force: true }))

    it('layers a newer bank holiday file over the shipped one', () => {
      const file = join(dir, 'bank-holidays.json')
      const events = [['2033-01-03', 'New Year’s Day'], ['2033-01-04', 'Imaginary proclamation']]
      writeFileSync(file, JSON.stringify({
        'england-and-wales': { division: 'england-and-wales', events: events.map(([date, title]) => ({ title, date, notes: '', bunting: true })) },
      }))
      const env = { TOGETHER_BANK_HOLIDAYS: file }
      const { status, stdout, stderr } = together(['due', '--rule', 'referral-decision', '--start', '2032-12-31'], { env })
      assert.equal(stderr, '')
      assert.equal(status, 0)
      assert.equal(JSON.parse(stdout).due, '2033-01-05')
    })
  })
})
