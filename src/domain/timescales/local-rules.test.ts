import assert from 'node:assert/strict'
import { describe, it, test } from 'node:test'
import { dueDate } from './due-date.ts'
import { applyLocalRuleChanges, DEFAULT_LOCAL_RULES, localRuleChangesSchema, LocalRulesError, mergeLocalRules } from './local-rules.ts'

describe('local rules', () => {
  it('has documented defaults', () => {
    assert.deepEqual(DEFAULT_LOCAL_RULES, {
      firstCoreGroup: { limit: 10, unit: 'working-days' },
      coreGroupCadence: { limit: 4, unit: 'weeks' },
      childProtectionVisits: { limit: 10, unit: 'working-days' },
      strategyDiscussion: { limit: 24, unit: 'hours' },
      transferInConference: { limit: 15, unit: 'working-days' },
      advanceNotice: { limit: 7, unit: 'working-days' },
      section11Cycle: { limit: 24, unit: 'months' },
      prebirthConference: { limit: 28, unit: 'weeks' },
      episodeClosureAuthorisation: false,
      laChildIdFormat: 'C#######',
    })
    assert.ok(Object.isFrozen(DEFAULT_LOCAL_RULES) && Object.isFrozen(DEFAULT_LOCAL_RULES.firstCoreGroup))
  })

  it('uses the defaults when a partnership sets nothing', () => {
    assert.deepEqual(mergeLocalRules({}), DEFAULT_LOCAL_RULES)
    assert.deepEqual(mergeLocalRules(undefined), DEFAULT_LOCAL_RULES)
    assert.deepEqual(mergeLocalRules(null), DEFAULT_LOCAL_RULES)
  })

  it('asks for a manager to close an episode only when the partnership says so (issue 16)', () => {
    assert.equal(mergeLocalRules({}).episodeClosureAuthorisation, false)
    assert.equal(mergeLocalRules({ episodeClosureAuthorisation: true }).episodeClosureAuthorisation, true)
    assert.throws(() => mergeLocalRules({ episodeClosureAuthorisation: 'yes' }), LocalRulesError)
  })

  it('gives LA child IDs in the partnership’s format, refusing one the census would not accept (issue 17)', () => {
    assert.equal(mergeLocalRules({}).laChildIdFormat, 'C#######')
    assert.equal(mergeLocalRules({ laChildIdFormat: 'NS######' }).laChildIdFormat, 'NS######')
    assert.throws(() => mergeLocalRules({ laChildIdFormat: 'C-####' }), LocalRulesError)
    assert.throws(() => mergeLocalRules({ laChildIdFormat: 'C##' }), LocalRulesError)
  })

  it('lays overrides over the defaults, keeping the default unit unless one is given', () => {
    const merged = mergeLocalRules({
      coreGroupCadence: { limit: 6 },
      childProtectionVisits: { limit: 3, unit: 'weeks' },
    })
    assert.deepEqual(merged.coreGroupCadence, { limit: 6, unit: 'weeks' })
    assert.deepEqual(merged.childProtectionVisits, { limit: 3, unit: 'weeks' })
    assert.deepEqual(merged.firstCoreGroup, DEFAULT_LOCAL_RULES.firstCoreGroup)
    assert.deepEqual(DEFAULT_LOCAL_RULES.coreGroupCadence, { limit: 4, unit: 'weeks' }, 'defaults untouched')
  })

  it('rejects unknown settings, bad limits and bad units, listing every problem', () => {
    const bad: unknown[] = [
      { coreGroupCadance: { limit: 6 } },
      { coreGroupCadence: { limit: 0 } },
      { coreGroupCadence: { limit: 1.5 } },
      { coreGroupCadence: { limit: '6' } },
      { coreGroupCadence: { limit: 6, unit: 'fortnights' } },
      { coreGroupCadence: { unit: 'weeks' } },
      { coreGroupCadence: 6 },
      'weekly',
      [],
    ]
    for (const overrides of bad) assert.throws(() => mergeLocalRules(overrides), LocalRulesError, JSON.stringify(overrides))
    try {
      mergeLocalRules({ firstCoreGroup: { limit: -1 }, strategyDiscussion: { limit: 24, unit: 'minutes' } })
      assert.fail('should throw')
    } catch (err) {
      assert.ok(err instanceof LocalRulesError)
      assert.equal(err.issues.length, 2)
      assert.match(err.issues[0] ?? '', /^firstCoreGroup\.limit: /)
      assert.match(err.issues[1] ?? '', /^strategyDiscussion\.unit: /)
    }
  })

  it('drives the due dates of local rules, and only of local rules', () => {
    const localRules = mergeLocalRules({ firstCoreGroup: { limit: 5 }, coreGroupCadence: { limit: 20, unit: 'working-days' } })
    const first = dueDate({ rule: 'first-core-group', start: '2026-03-02', localRules })
    assert.deepEqual([first.limit, first.unit, first.due], [5, 'working-days', '2026-03-09'])
    const cadence = dueDate({ rule: 'core-group', start: '2025-06-13', localRules })
    assert.deepEqual([cadence.limit, cadence.unit, cadence.due], [20, 'working-days', '2025-07-11'])
    assert.equal(dueDate({ rule: 'icpc', start: '2025-12-19', localRules }).limit, 15)
  })
})

test('changes lay over the stored overrides: given is set, null is back to the default, left out is kept', () => {
  const stored = { episodeClosureAuthorisation: true, firstCoreGroup: { limit: 5 }, section11Cycle: { limit: 12 } } as const
  assert.deepEqual(applyLocalRuleChanges(stored, { firstCoreGroup: null, coreGroupCadence: { limit: 6, unit: 'weeks' } }), {
    episodeClosureAuthorisation: true,
    section11Cycle: { limit: 12 },
    coreGroupCadence: { limit: 6, unit: 'weeks' },
  })
  assert.equal(localRuleChangesSchema.safeParse({ episodeClosureAuthorisation: null, firstCoreGroup: { limit: 3 } }).success, true)
  assert.equal(localRuleChangesSchema.safeParse({ bedtime: null }).success, false)
})
