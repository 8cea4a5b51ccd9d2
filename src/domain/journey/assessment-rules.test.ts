import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { assessmentKindsFor, clockRuleOf, factorGroups, factorProblem, isLate, outcomeProblem, ruleAppliesOn } from './assessment-rules.ts'

describe('the kind of assessment follows the edition in force on the referral date', () => {
  test('single assessment from 15 April 2013, initial then core before', () => {
    assert.deepEqual(assessmentKindsFor('2013-04-14'), ['initial', 'core'])
    assert.deepEqual(assessmentKindsFor('2013-04-15'), ['single'])
    assert.deepEqual(assessmentKindsFor('2012-11-01'), ['initial', 'core'])
    assert.deepEqual(assessmentKindsFor('2026-10-01'), ['single'])
  })

  test('a referral before WT2006 is still assessed the Framework 2000 way', () => {
    assert.deepEqual(assessmentKindsFor('2003-02-01'), ['initial', 'core'])
  })

  test('single and initial assessments run on the episode’s clock, core on its own', () => {
    assert.deepEqual(clockRuleOf('single'), { rule: 'assessment', subject: 'episode' })
    assert.deepEqual(clockRuleOf('initial'), { rule: 'initial-assessment', subject: 'episode' })
    assert.deepEqual(clockRuleOf('core'), { rule: 'core-assessment', subject: 'assessment' })
  })

  test('the core assessment timescale exists only before WT2013', () => {
    assert.equal(ruleAppliesOn('core-assessment', '2012-12-03'), true)
    assert.equal(ruleAppliesOn('core-assessment', '2013-05-01'), false)
    assert.equal(ruleAppliesOn('assessment', '2013-05-01'), true)
  })
})

describe('factors identified at the end of an assessment', () => {
  test('current, distinct codes are accepted', () => {
    assert.equal(factorProblem(['3A', '16A'], 'cin-plan', 'single'), null)
  })

  test('retired codes are refused', () => {
    assert.match(factorProblem(['18A'], 'cin-plan', 'single') ?? '', /18A is no longer used/)
  })

  test('a code twice is refused', () => {
    assert.match(factorProblem(['3A', '3A'], 'cin-plan', 'single') ?? '', /more than once/)
  })

  test('“no factors” stands alone and only with no further action', () => {
    assert.equal(factorProblem(['21'], 'nfa', 'single'), null)
    assert.match(factorProblem(['21', '3A'], 'nfa', 'single') ?? '', /cannot be selected with other factors/)
    assert.match(factorProblem(['21'], 'cin-plan', 'single') ?? '', /only be used when the outcome is no further action/)
  })

  test('a single assessment must record its factors; older kinds need not', () => {
    assert.match(factorProblem([], 'nfa', 'single') ?? '', /Select the factors/)
    assert.equal(factorProblem([], 'nfa', 'initial'), null)
  })

  test('unknown codes are refused', () => {
    assert.match(factorProblem(['99Z'], 'nfa', 'single') ?? '', /not an assessment factor/)
  })
})

describe('the factor list grouped under the DfE headings (issue 16)', () => {
  test('every current code once, under its heading, in census order; retired codes and "no factors" apart', () => {
    const groups = factorGroups()
    assert.deepEqual(groups.slice(0, 3).map((g) => g.heading), ['Alcohol misuse', 'Drug misuse', 'Domestic violence'])
    assert.deepEqual(groups[0]!.factors.map((f) => [f.code, f.text]), [
      ['1A', 'concerns about alcohol misuse by the child'],
      ['1B', 'concerns about alcohol misuse by the parent(s)/carer(s)'],
      ['1C', 'concerns about alcohol misuse by another person living in the household'],
    ])
    const abuse = groups.find((g) => g.heading === 'Abuse or neglect')!
    assert.deepEqual(abuse.factors.map((f) => f.code), ['16A', '17A', '18B', '18C', '19B', '19C'])
    assert.match(abuse.factors[0]!.text, /^‘NEGLECT’: concerns/)
    assert.deepEqual(groups.map((g) => g.heading).slice(-4), ['Other', 'Female genital mutilation (FGM)', 'Abuse linked to faith or belief', 'Child criminal exploitation'])
    const codes = groups.flatMap((g) => g.factors.map((f) => f.code))
    assert.equal(new Set(codes).size, codes.length)
    assert.ok(!codes.includes('21') && !codes.includes('18A'))
    assert.ok(factorGroups(true).flatMap((g) => g.factors.map((f) => f.code)).includes('18A'))
  })
})

describe('outcomes and lateness', () => {
  test('only an initial assessment leads to a core assessment', () => {
    assert.equal(outcomeProblem('core-assessment', 'initial'), null)
    assert.ok(outcomeProblem('core-assessment', 'single'))
    assert.equal(outcomeProblem('cin-plan', 'single'), null)
  })

  test('late means completed after the due date', () => {
    assert.equal(isLate('2026-11-10', '2026-11-10'), false)
    assert.equal(isLate('2026-11-10', '2026-11-11'), true)
  })
})
