import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { InvalidDateError } from './calendar/iso-date.ts'
import { clockStatus } from './clock-status.ts'
import { UnknownRuleError } from './errors.ts'

// ICPC from Friday 19 December 2025: 15 working days, due Wednesday 14 January 2026 (WT2023).
const icpc = { rule: 'icpc', start: '2025-12-19' } as const

describe('clock status', () => {
  it('is due, with working days remaining, before the due date', () => {
    const status = clockStatus({ ...icpc, today: '2026-01-12' })
    assert.deepEqual(status, {
      rule: 'icpc',
      edition: 2023,
      strength: 'should',
      start: '2025-12-19',
      limit: 15,
      unit: 'working-days',
      due: '2026-01-14',
      completed: null,
      state: 'due',
      counting: 'working-days',
      daysRemaining: 2,
      daysLate: null,
      delayReason: null,
      needsReason: false,
    })
  })

  it('is still due on the due date itself', () => {
    const status = clockStatus({ ...icpc, today: '2026-01-14' })
    assert.equal(status.state, 'due')
    assert.equal(status.daysRemaining, 0)
  })

  it('is overdue after it, counting working days late, and asks for a reason', () => {
    const status = clockStatus({ ...icpc, today: '2026-01-19' })
    assert.equal(status.state, 'overdue')
    assert.equal(status.daysLate, 3) // 15, 16, 19 January
    assert.equal(status.daysRemaining, null)
    assert.equal(status.needsReason, true)
  })

  it('echoes the recorded reason for delay', () => {
    const status = clockStatus({ ...icpc, today: '2026-01-19', delayReason: 'Parent in hospital; conference rearranged' })
    assert.equal(status.delayReason, 'Parent in hospital; conference rearranged')
    assert.equal(status.needsReason, false)
    assert.equal(clockStatus({ ...icpc, today: '2026-01-19', delayReason: '  ' }).delayReason, null)
  })

  it('is completed on time up to and including the due date, whatever today is', () => {
    const early = clockStatus({ ...icpc, completed: '2026-01-09', today: '2026-03-01' })
    assert.equal(early.state, 'completed-on-time')
    assert.equal(early.daysRemaining, 3)
    assert.equal(early.completed, '2026-01-09')
    const onTheDay = clockStatus({ ...icpc, completed: '2026-01-14', today: '2026-03-01' })
    assert.equal(onTheDay.state, 'completed-on-time')
    assert.equal(onTheDay.daysRemaining, 0)
  })

  it('is completed late after the due date', () => {
    const status = clockStatus({ ...icpc, completed: '2026-01-15', today: '2026-01-12', delayReason: 'Interpreter' })
    assert.equal(status.state, 'completed-late')
    assert.equal(status.daysLate, 1)
    assert.equal(status.delayReason, 'Interpreter')
  })

  it('is late, by 0 working days, when completed on the weekend after a Friday due date', () => {
    const status = clockStatus({ rule: 'referral-decision', start: '2025-06-12', completed: '2025-06-14', today: '2025-06-16' })
    assert.equal(status.due, '2025-06-13')
    assert.equal(status.state, 'completed-late')
    assert.equal(status.daysLate, 0)
  })

  it('counts calendar days for limits in months, weeks or hours', () => {
    const due = clockStatus({ rule: 'first-review-conference', start: '2025-11-30', today: '2026-02-01' })
    assert.equal(due.due, '2026-02-28')
    assert.equal(due.counting, 'calendar-days')
    assert.equal(due.daysRemaining, 27)
    const late = clockStatus({ rule: 'first-review-conference', start: '2025-11-30', today: '2026-03-02' })
    assert.equal(late.state, 'overdue')
    assert.equal(late.daysLate, 2)
  })

  it('names the rule and edition that produced it, including a named edition', () => {
    const status = clockStatus({ rule: 'initial-assessment', start: '2024-03-28', edition: 2010, today: '2024-04-01' })
    assert.equal(status.rule, 'initial-assessment')
    assert.equal(status.edition, 2010)
    assert.equal(status.due, '2024-04-15')
  })

  it('rejects bad input, and only bad input', () => {
    assert.throws(() => clockStatus({ ...icpc, today: '2026-02-30' }), InvalidDateError)
    assert.throws(() => clockStatus({ ...icpc, completed: 'soon', today: '2026-01-01' }), InvalidDateError)
    assert.throws(() => clockStatus({ rule: 'x', start: '2026-01-01', today: '2026-01-01' }), UnknownRuleError)
  })
})
