/** The new clocks of issue 17 at their boundaries: the clocks changing, bank holidays, leap years. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { londonInstant } from './calendar/london-time.ts'
import { defaultBankHolidayCalendar } from './calendar/load.ts'
import { dueDate } from './due-date.ts'
import { RuleNotInForceError } from './errors.ts'
import { mergeLocalRules } from './local-rules.ts'
import {
  emergencyProtectionOrderEnds,
  epoExtensionEnds,
  isPublicHoliday,
  policeProtectionEnds,
  prebirthConferenceDue,
  pregnancyStart,
  returnHomeInterviewDue,
} from './protection.ts'

const calendar = defaultBankHolidayCalendar()

describe('the return home interview after a child was missing (statutory guidance 2014: offered within 72 hours)', () => {
  it('is due 72 hours of elapsed time after the child came back: across the clocks going back, an hour earlier on the London clock', () => {
    // GMT resumes at 01:00 UTC on Sunday 25 October 2026.
    const back = londonInstant('2026-10-23', '22:15')
    assert.equal(back.toISOString(), '2026-10-23T21:15:00.000Z')
    const due = returnHomeInterviewDue(back)
    assert.equal(due.at.toISOString(), '2026-10-26T21:15:00.000Z')
    assert.equal(due.on, '2026-10-26')
  })

  it('is due by the same time three days later: back at 23:30 on 1 December, offered by 23:30 on 4 December', () => {
    assert.equal(returnHomeInterviewDue(londonInstant('2026-12-01', '23:30')).on, '2026-12-04')
  })
})

describe('police protection (Children Act 1989 s46: 72 hours)', () => {
  it('ends 72 hours after the child was taken, on the London clock', () => {
    const ends = policeProtectionEnds(londonInstant('2026-11-10', '14:30'))
    assert.equal(ends.at.toISOString(), '2026-11-13T14:30:00.000Z')
    assert.equal(ends.on, '2026-11-13')
  })

  it('counts elapsed hours across the clocks going forward: 23:30 GMT plus 72 hours is 00:30 BST three days and a bit later', () => {
    // BST starts at 01:00 UTC on Sunday 28 March 2027.
    const taken = londonInstant('2027-03-26', '23:30')
    assert.equal(taken.toISOString(), '2027-03-26T23:30:00.000Z')
    const ends = policeProtectionEnds(taken)
    assert.equal(ends.at.toISOString(), '2027-03-29T23:30:00.000Z')
    assert.equal(ends.on, '2027-03-30', 'the London date has moved on: 00:30 BST on 30 March')
    assert.equal(dueDate({ rule: 'police-protection', start: '2027-03-26' }).due, '2027-03-29', 'the date-only rule would say the 29th')
  })

  it('counts elapsed hours across the clocks going back: 00:30 BST plus 72 hours is 23:30 GMT the third day', () => {
    // GMT returns at 01:00 UTC on Sunday 31 October 2027.
    const taken = londonInstant('2027-10-29', '00:30')
    assert.equal(taken.toISOString(), '2027-10-28T23:30:00.000Z')
    assert.equal(policeProtectionEnds(taken).on, '2027-10-31')
  })

  it('reads London wall-clock times in the missing and the repeated hour', () => {
    assert.equal(londonInstant('2027-03-28', '01:30').toISOString(), '2027-03-28T01:30:00.000Z', 'the hour that does not exist is read as GMT')
    assert.equal(londonInstant('2027-10-31', '01:30').toISOString(), '2027-10-31T00:30:00.000Z', 'the repeated hour is its first, in BST')
    assert.equal(londonInstant('2027-07-01', '09:00').toISOString(), '2027-07-01T08:00:00.000Z')
  })
})

describe('emergency protection orders (s45: 8 days, one extension of up to 7)', () => {
  it('ends on the eighth day after it was made', () => {
    assert.equal(emergencyProtectionOrderEnds('2026-11-02', calendar), '2026-11-10')
    assert.equal(dueDate({ rule: 'emergency-protection-order', start: '2026-11-02' }).due, '2026-11-10')
  })

  it('moves past a public holiday: Christmas Day, Boxing Day and the Sunday after them', () => {
    // 17 December 2027 + 8 = Saturday 25 December; Boxing Day is a Sunday, 27 and 28 December are bank holidays.
    assert.ok(isPublicHoliday('2027-12-25', calendar) && isPublicHoliday('2027-12-26', calendar))
    assert.equal(emergencyProtectionOrderEnds('2027-12-17', calendar), '2027-12-29')
  })

  it('moves past Good Friday and a Sunday, but not a Saturday (Easter 2027)', () => {
    assert.ok(isPublicHoliday('2027-03-26', calendar), 'Good Friday')
    assert.equal(emergencyProtectionOrderEnds('2027-03-17', calendar), '2027-03-25', 'an ordinary Thursday')
    assert.equal(emergencyProtectionOrderEnds('2027-03-18', calendar), '2027-03-27', 'past Good Friday to Saturday, which is not a public holiday')
    assert.equal(emergencyProtectionOrderEnds('2027-03-20', calendar), '2027-03-30', 'past Easter Sunday and Easter Monday')
  })

  it('allows one extension of up to 7 days from the order’s end', () => {
    assert.equal(epoExtensionEnds('2026-11-10'), '2026-11-17')
    assert.equal(dueDate({ rule: 'epo-extension', start: '2026-11-10' }).due, '2026-11-17')
  })
})

describe('the pre-birth conference (local: 28 weeks’ gestation by default)', () => {
  it('is due 12 weeks before the expected date of delivery', () => {
    assert.equal(pregnancyStart('2027-06-30'), '2026-09-23')
    const due = prebirthConferenceDue('2027-06-30')
    assert.deepEqual([due.rule, due.limit, due.unit, due.due], ['prebirth-conference', 28, 'weeks', '2027-04-07'])
  })

  it('counts across 29 February', () => {
    // A pregnancy over February 2028 (a leap year): 280 days back from 1 June 2028 is 26 August 2027.
    assert.equal(pregnancyStart('2028-06-01'), '2027-08-26')
    assert.equal(prebirthConferenceDue('2028-06-01').due, '2028-03-09', '12 weeks before the expected date, 29 February counted')
  })

  it('follows the partnership’s own figure', () => {
    const due = prebirthConferenceDue('2027-06-30', mergeLocalRules({ prebirthConference: { limit: 30 } }))
    assert.equal(due.due, '2027-04-21')
  })
})

describe('the child death notification (48 hours, unverified default)', () => {
  it('is due two days after the death; the rule starts with the notification forms of April 2019', () => {
    assert.equal(dueDate({ rule: 'cdop-notification', start: '2026-12-31' }).due, '2027-01-02')
    assert.throws(() => dueDate({ rule: 'cdop-notification', start: '2019-03-31' }), RuleNotInForceError)
  })
})
