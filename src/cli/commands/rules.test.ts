import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, it } from 'node:test'
import { RULE_IDS } from '../../domain/timescales/rules.ts'

const root = fileURLToPath(new URL('../../../', import.meta.url))
const together = (args: string[]) => spawnSync(process.execPath, ['bin/together.js', ...args], { cwd: root, encoding: 'utf8' })

describe('together rules', () => {
  it('lists every rule with editions, limit, strength and source', () => {
    const { status, stdout, stderr } = together(['rules'])
    assert.equal(stderr, '')
    assert.equal(status, 0)
    assert.match(stdout, /^RULE +EDITIONS +LIMIT +STRENGTH\n/)
    for (const id of RULE_IDS) assert.match(stdout, new RegExp(`^${id} `, 'm'), id)
    assert.match(stdout, /^initial-assessment +2006 +7 working days +should$/m)
    assert.match(stdout, /^initial-assessment +2010 +10 working days +should$/m)
    assert.match(stdout, /^care-proceedings +in force from 2014-04-22 +26 weeks +must$/m)
    assert.match(stdout, /^first-core-group +2006 2010 2013 2015 2018 2023 2026 +10 working days \(local default\) +local$/m)
    assert.match(stdout, /source: WT T09: /)
    assert.match(stdout, /2026 +in force from 2026-03-01 \(only the month is known\)/)
  })

  it('prints the editions and the rules table as JSON with --json', () => {
    const { status, stdout } = together(['rules', '--json'])
    assert.equal(status, 0)
    const { editions, rules } = JSON.parse(stdout) as { editions: { year: number }[]; rules: { id: string }[] }
    assert.deepEqual(editions.map((e) => e.year), [2006, 2010, 2013, 2015, 2018, 2023, 2026])
    assert.deepEqual(new Set(rules.map((r) => r.id)), new Set(RULE_IDS))
  })
})
