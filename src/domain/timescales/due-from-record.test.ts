import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { dueFromRecord, dueWithClocks, type OpenPlanRecord } from './due-from-record.ts'
import { mergeLocalRules } from './local-rules.ts'

// Monday 2 March 2026: 10 working days on is Monday 16 March (no bank holiday between).
const cp = (over: Partial<OpenPlanRecord> = {}): OpenPlanRecord => ({
  id: 'plan-1',
  kind: 'child-protection',
  startedOn: '2026-03-02',
  nextReviewOn: null,
  lastCoreGroupOn: null,
  lastReviewConferenceOn: null,
  ...over,
})

const item = (due: ReturnType<typeof dueFromRecord>, what: string) => due!.items.find((i) => i.what === what)

describe('what is due, derived from the record', () => {
  it('a child on a plan with no visit and no core group is due a visit, a first core group and a first review from the plan start', () => {
    const due = dueFromRecord({ status: 'child-protection', openPlans: [cp()], lastSeenOn: null }, { today: '2026-03-04' })
    assert.ok(due)
    assert.equal(due.onProtectionPlan, true)
    assert.equal(due.lastSeenOn, null)
    assert.deepEqual(item(due, 'visit'), {
      what: 'visit', planId: 'plan-1', planKind: 'child-protection', rule: 'child-protection-visit', from: '2026-03-02', due: '2026-03-16', state: 'due',
    })
    assert.equal(item(due, 'core-group')!.rule, 'first-core-group')
    assert.equal(item(due, 'core-group')!.due, '2026-03-16')
    assert.equal(item(due, 'review')!.rule, 'first-review-conference')
    assert.equal(item(due, 'review')!.due, '2026-06-02')
    assert.equal(due.nextDueOn, '2026-03-16')
    assert.equal(due.overdue, 0)
  })

  it('is overdue once the due date has passed with nothing recorded', () => {
    const due = dueFromRecord({ status: 'child-protection', openPlans: [cp()], lastSeenOn: null }, { today: '2026-03-17' })
    assert.equal(item(due, 'visit')!.state, 'overdue')
    assert.equal(item(due, 'core-group')!.state, 'overdue')
    assert.equal(item(due, 'review')!.state, 'due')
    assert.equal(due!.overdue, 2)
  })

  it('the last visit on which the child was seen restarts the visit timescale; one before the plan does not', () => {
    const seen = dueFromRecord({ status: 'child-protection', openPlans: [cp()], lastSeenOn: '2026-03-09' }, { today: '2026-03-17' })
    assert.equal(item(seen, 'visit')!.from, '2026-03-09')
    assert.equal(item(seen, 'visit')!.due, '2026-03-23')
    assert.equal(item(seen, 'visit')!.state, 'due')
    assert.equal(seen!.lastSeenOn, '2026-03-09')
    const before = dueFromRecord({ status: 'child-protection', openPlans: [cp()], lastSeenOn: '2026-02-20' }, { today: '2026-03-04' })
    assert.equal(item(before, 'visit')!.from, '2026-03-02')
    assert.equal(before!.lastSeenOn, '2026-02-20')
  })

  it('core groups and review conferences held restart their cadence', () => {
    const due = dueFromRecord(
      { status: 'child-protection', openPlans: [cp({ lastCoreGroupOn: '2026-03-10', lastReviewConferenceOn: '2026-05-20' })], lastSeenOn: null },
      { today: '2026-03-04' },
    )
    assert.equal(item(due, 'core-group')!.rule, 'core-group')
    assert.equal(item(due, 'core-group')!.due, '2026-04-07')
    assert.equal(item(due, 'review')!.rule, 'review-conference')
    assert.equal(item(due, 'review')!.due, '2026-11-20')
  })

  it("follows the partnership's local rules for visits", () => {
    const localRules = mergeLocalRules({ childProtectionVisits: { limit: 3, unit: 'weeks' } })
    const due = dueFromRecord({ status: 'child-protection', openPlans: [cp()], lastSeenOn: null }, { today: '2026-03-04', localRules })
    assert.equal(item(due, 'visit')!.due, '2026-03-23')
  })

  it('a child in need plan has the review date recorded on it and no invented visit timescale', () => {
    const cin = { ...cp(), kind: 'child-in-need', nextReviewOn: '2026-04-01' }
    const due = dueFromRecord({ status: 'child-in-need', openPlans: [cin], lastSeenOn: '2026-03-01' }, { today: '2026-04-02' })
    assert.deepEqual(due!.items, [
      { what: 'review', planId: 'plan-1', planKind: 'child-in-need', rule: null, from: null, due: '2026-04-01', state: 'overdue' },
    ])
    assert.equal(due!.onProtectionPlan, false)
    assert.equal(due!.lastSeenOn, '2026-03-01')
  })

  it('a child in need without a plan has only when they were last seen; other children have nothing derived', () => {
    assert.deepEqual(dueFromRecord({ status: 'child-in-need', openPlans: [], lastSeenOn: null }, { today: '2026-04-02' }), {
      lastSeenOn: null, onProtectionPlan: false, items: [], nextDueOn: null, overdue: 0,
    })
    assert.equal(dueFromRecord({ status: 'assessment', openPlans: [], lastSeenOn: null }, { today: '2026-04-02' }), null)
  })
})

describe('what is due, with the running clocks', () => {
  const onPlan = dueFromRecord({ status: 'child-protection', openPlans: [cp()], lastSeenOn: null }, { today: '2026-03-17' })

  it('counts the derived visit, core group and review once, not again from their clocks', () => {
    const clocks = [
      { rule: 'child-protection-visit', dueOn: '2026-03-16', state: 'overdue' },
      { rule: 'care-proceedings', dueOn: '2026-03-10', state: 'overdue' },
    ]
    assert.deepEqual(dueWithClocks(clocks, onPlan), { nextDueOn: '2026-03-10', overdue: 3 })
  })

  it('without anything derived, is the clocks alone; with no clocks, is what is derived', () => {
    assert.deepEqual(dueWithClocks([{ rule: 'assessment', dueOn: '2026-04-01', state: 'due' }], null), { nextDueOn: '2026-04-01', overdue: 0 })
    assert.deepEqual(dueWithClocks([], onPlan), { nextDueOn: '2026-03-16', overdue: 2 })
    assert.deepEqual(dueWithClocks([], null), { nextDueOn: null, overdue: 0 })
  })
})
