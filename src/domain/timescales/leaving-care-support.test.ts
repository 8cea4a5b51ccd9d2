import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { clockStatus } from './clock-status.ts'
import { leavingCareSupportDue, leavingCareSupportMetOn } from './leaving-care-support.ts'

describe('leaving care support at 21 and 25', () => {
  it('is due on the 21st birthday, 3 months after it starts, when support to 25 is not recorded', () => {
    assert.deepEqual(leavingCareSupportDue('2006-05-31', false), { rule: 'leaving-care-support-21', age: 21, start: '2027-02-28', due: '2027-05-31' })
  })

  it('is due on the 25th birthday when support to 25 is recorded', () => {
    assert.deepEqual(leavingCareSupportDue('2006-05-31', true), { rule: 'leaving-care-support-25', age: 25, start: '2031-02-28', due: '2031-05-31' })
  })

  it('has no date without a date of birth', () => {
    assert.equal(leavingCareSupportDue(null, false), null)
  })

  it('takes a 29 February birthday as 28 February in a common year, as the calendar adds months', () => {
    assert.deepEqual(leavingCareSupportDue('2008-02-29', false), { rule: 'leaving-care-support-21', age: 21, start: '2028-11-28', due: '2029-02-28' })
    // 21 and 25 are odd, so someone born on 29 February never has a leap 21st or 25th birthday.
    assert.deepEqual(leavingCareSupportDue('2008-02-29', true), { rule: 'leaving-care-support-25', age: 25, start: '2032-11-28', due: '2033-02-28' })
    assert.equal(leavingCareSupportDue('2007-02-28', false)?.due, '2028-02-28')
    assert.equal(leavingCareSupportDue('2007-03-01', false)?.due, '2028-03-01')
  })

  it('gives the rule’s own due date from its start when the day of the month allows', () => {
    const due = leavingCareSupportDue('2006-05-15', false)!
    assert.equal(clockStatus({ rule: due.rule, start: due.start, today: '2027-01-01' }).due, due.due)
  })

  it('is met by the end of support, at 21 or 25', () => {
    assert.equal(leavingCareSupportMetOn('leaving-care-support-21', { supportEndedOn: '2027-06-02', supportTo25: false, today: '2027-06-10' }), '2027-06-02')
    assert.equal(leavingCareSupportMetOn('leaving-care-support-25', { supportEndedOn: '2031-04-01', supportTo25: true, today: '2031-04-03' }), '2031-04-01')
  })

  it('at 21 is met by support to 25 (the clock at 25 takes over); at 25 it is not', () => {
    assert.equal(leavingCareSupportMetOn('leaving-care-support-21', { supportEndedOn: null, supportTo25: true, today: '2027-04-01' }), '2027-04-01')
    assert.equal(leavingCareSupportMetOn('leaving-care-support-25', { supportEndedOn: null, supportTo25: true, today: '2031-04-01' }), null)
    assert.equal(leavingCareSupportMetOn('leaving-care-support-21', { supportEndedOn: null, supportTo25: false, today: '2027-06-10' }), null)
  })

  it('runs late after the birthday until support ends', () => {
    const due = leavingCareSupportDue('2006-05-15', false)!
    assert.equal(clockStatus({ rule: due.rule, start: due.start, today: '2027-05-16' }).state, 'overdue')
    assert.equal(clockStatus({ rule: due.rule, start: due.start, today: '2027-05-16', completed: '2027-05-15' }).state, 'completed-on-time')
  })
})
