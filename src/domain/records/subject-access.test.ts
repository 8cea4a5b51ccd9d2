import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  approvalRefusal,
  extensionRefusal,
  itemDecisionErrors,
  rectificationDecisionErrors,
  redactPhrases,
  releasedText,
  reviewSubmissionRefusal,
  sarClock,
} from './subject-access.ts'

const clock = (receivedOn: string, extensionMonths = 0, completedOn: string | null = null, today = receivedOn) =>
  sarClock({ receivedOn, extensionMonths, completedOn }, today)

describe('the subject access clock', () => {
  it('is due on the corresponding day of the next month', () => {
    assert.equal(clock('2026-03-03').dueOn, '2026-04-03')
    assert.equal(clock('2026-12-15').dueOn, '2027-01-15')
  })

  it('is due on the last day of the next month when it has no corresponding day', () => {
    assert.equal(clock('2026-01-31').dueOn, '2026-02-28')
    assert.equal(clock('2028-01-31').dueOn, '2028-02-29', 'leap year')
    assert.equal(clock('2026-03-31').dueOn, '2026-04-30')
    assert.equal(clock('2028-01-30').dueOn, '2028-02-29')
  })

  it('extended by up to two further months, counted from receipt', () => {
    assert.equal(clock('2026-01-31', 1).dueOn, '2026-03-31')
    assert.equal(clock('2026-01-31', 2).dueOn, '2026-04-30')
    assert.equal(clock('2025-11-30', 2).dueOn, '2026-02-28')
    assert.equal(clock('2026-01-31', 2).originalDueOn, '2026-02-28')
    assert.match(clock('2026-01-31', 2).rule, /extended by 2 months/)
    assert.throws(() => clock('2026-01-31', 3), RangeError)
  })

  it('is due until the due date passes, then overdue; completion stops it', () => {
    assert.equal(clock('2026-01-31', 0, null, '2026-02-28').status, 'due')
    assert.equal(clock('2026-01-31', 0, null, '2026-03-01').status, 'overdue')
    assert.equal(clock('2026-01-31', 1, null, '2026-03-01').status, 'due')
    assert.equal(clock('2026-01-31', 0, '2026-02-27', '2026-06-01').status, 'completed')
    assert.equal(clock('2026-01-31', 0, '2026-03-02', '2026-06-01').status, 'completed-late')
  })

  it('is extended once only, by 1 or 2 months, with a reason, before completion', () => {
    const open = { extensionMonths: 0, completedOn: null }
    assert.equal(extensionRefusal(open, 2, 'Five years of records across three cases'), null)
    assert.ok(extensionRefusal(open, 3, 'x')?.months)
    assert.ok(extensionRefusal(open, 0, 'x')?.months)
    assert.ok(extensionRefusal(open, 1, '  ')?.reason)
    assert.match(extensionRefusal({ extensionMonths: 1, completedOn: null }, 1, 'x')!.months!, /only once/)
    assert.match(extensionRefusal({ extensionMonths: 0, completedOn: '2026-02-01' }, 1, 'x')!.months!, /completed/)
  })
})

describe('reviewing a bundle', () => {
  it('needs an exemption to withhold or redact, and its words when it is "other"', () => {
    assert.deepEqual(itemDecisionErrors('text', { decision: 'released' }), {})
    assert.ok(itemDecisionErrors('text', { decision: 'withheld' }).exemption)
    assert.ok(itemDecisionErrors('text', { decision: 'withheld', exemption: 'other' }).exemptionDetail)
    assert.deepEqual(itemDecisionErrors('text', { decision: 'withheld', exemption: 'serious-harm' }), {})
  })

  it('needs the redacted text, changed from the original', () => {
    const original = 'Mum said her neighbour Jo Smith called the police.'
    assert.ok(itemDecisionErrors(original, { decision: 'redacted', exemption: 'third-party' }).redactedText)
    assert.ok(itemDecisionErrors(original, { decision: 'redacted', exemption: 'third-party', redactedText: original }).redactedText)
    const redacted = redactPhrases(original, ['jo smith'])
    assert.equal(redacted, 'Mum said her neighbour [Redacted] called the police.')
    assert.deepEqual(itemDecisionErrors(original, { decision: 'redacted', exemption: 'third-party', redactedText: redacted }), {})
  })

  it('releases the text, the redacted text, or nothing', () => {
    assert.equal(releasedText({ text: 'a', decision: 'released', redactedText: null }), 'a')
    assert.equal(releasedText({ text: 'a b', decision: 'redacted', redactedText: 'a [Redacted]' }), 'a [Redacted]')
    assert.equal(releasedText({ text: 'a', decision: 'withheld', redactedText: null }), null)
  })

  it('is sent for approval only with every item decided', () => {
    assert.match(reviewSubmissionRefusal([])!, /Compile/)
    assert.match(reviewSubmissionRefusal([{ decision: 'released' }, { decision: null }])!, /1 item has no decision/)
    assert.equal(reviewSubmissionRefusal([{ decision: 'released' }, { decision: 'withheld' }]), null)
  })

  it('is approved by a second person: not who sent it, nor who decided an item', () => {
    const review = { submittedBy: 'reviewer', decidedBy: ['reviewer', 'helper', null] }
    assert.match(approvalRefusal('reviewer', review)!, /second person/)
    assert.match(approvalRefusal('helper', review)!, /second person/)
    assert.equal(approvalRefusal('approver', review), null)
    assert.match(approvalRefusal('approver', { submittedBy: null, decidedBy: [] })!, /not been sent/)
  })
})

describe('a request to correct a record', () => {
  it('needs the reason, and the statement of disagreement when the record is kept', () => {
    assert.deepEqual(rectificationDecisionErrors({ decision: 'corrected', reason: 'Date of the visit corrected' }), {})
    assert.ok(rectificationDecisionErrors({ decision: 'corrected', reason: '' }).reason)
    assert.ok(rectificationDecisionErrors({ decision: 'kept', reason: 'The note records what the school reported' }).statement)
    assert.deepEqual(rectificationDecisionErrors({ decision: 'kept', reason: 'As reported', statement: 'I was not there that day.' }), {})
  })
})
