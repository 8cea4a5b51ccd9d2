/**
 * The read replicas' settings and positions; test/scale/replicas.test.ts runs them against a real
 * streaming replica.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { ConfigError, loadConfig } from '../config.ts'
import { lsnValue } from './replicas.ts'

describe('read replicas', () => {
  test('write-ahead log positions compare as numbers, the part before the slash the higher', () => {
    assert.ok(lsnValue('0/3000060') > lsnValue('0/3000000'))
    assert.ok(lsnValue('1/0') > lsnValue('0/FFFFFFFF'))
    assert.equal(lsnValue('16/B374D848'), (0x16n << 32n) + 0xb374d848n)
  })

  test('DATABASE_REPLICA_URL: one or more postgres URLs, beside DATABASE_URL; the maximum lag defaults to 30 s', () => {
    const primary = 'postgres://together@db.internal/together'
    assert.deepEqual(loadConfig({ DATABASE_URL: primary }).replicas, { urls: [], maxLagSeconds: 30 })
    const two = loadConfig({ DATABASE_URL: primary, DATABASE_REPLICA_URL: 'postgres://r1.internal/together, postgresql://r2.internal:5433/together', TOGETHER_REPLICA_MAX_LAG_SECONDS: '5' })
    assert.deepEqual(two.replicas, { urls: ['postgres://r1.internal/together', 'postgresql://r2.internal:5433/together'], maxLagSeconds: 5 })
    assert.throws(() => loadConfig({ DATABASE_REPLICA_URL: 'postgres://r1.internal/together' }), (e) => e instanceof ConfigError && /DATABASE_URL must be set too/.test(e.message))
    assert.throws(() => loadConfig({ DATABASE_URL: primary, DATABASE_REPLICA_URL: 'http://r1.internal/' }), (e) => e instanceof ConfigError && /postgres:\/\/ URL/.test(e.message))
    assert.throws(() => loadConfig({ DATABASE_URL: primary, DATABASE_REPLICA_URL: 'r1.internal' }), ConfigError)
  })
})
