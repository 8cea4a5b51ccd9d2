import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import {
  categoriesProblem,
  conferenceDateWarning,
  conferenceDecisionsFor,
  icpcNotRequired,
  icpcStatusOf,
  listInWords,
  londonInstant,
  londonWallClock,
  missingRequiredAgencies,
  normaliseTime,
  planCategoryOf,
  stageOnSection47Start,
} from './child-protection-rules.ts'

describe('strategy discussion attendance', () => {
  test('children’s social care, the police and health must all be there; any health agency counts', () => {
    assert.deepEqual(missingRequiredAgencies(['la-childrens-social-care', 'police', 'health-gp-practice']), [])
    assert.deepEqual(missingRequiredAgencies(['la-childrens-social-care', 'education']), ['police', 'health'])
    assert.deepEqual(missingRequiredAgencies([]), ['la-childrens-social-care', 'police', 'health'])
  })

  test('lists read as English', () => {
    assert.equal(listInWords(['the police']), 'the police')
    assert.equal(listInWords(['a', 'b', 'c']), 'a, b and c')
  })
})

describe('section 47 and the initial conference', () => {
  test('the conference is not required once the child is found not at continuing risk', () => {
    assert.equal(icpcNotRequired(null), false)
    assert.equal(icpcNotRequired('substantiated-continuing-risk'), false)
    assert.equal(icpcNotRequired('not-substantiated'), true)
    assert.equal(icpcNotRequired('substantiated-no-continuing-risk'), true)
  })

  test('status follows the outcome and the conference', () => {
    assert.equal(icpcStatusOf({ outcome: null }, null), 'awaiting-outcome')
    assert.equal(icpcStatusOf({ outcome: 'substantiated-continuing-risk' }, null), 'to-schedule')
    assert.equal(icpcStatusOf({ outcome: 'not-substantiated' }, null), 'not-required')
    assert.equal(icpcStatusOf({ outcome: 'substantiated-continuing-risk' }, { heldOn: null }), 'scheduled')
    assert.equal(icpcStatusOf({ outcome: null }, { heldOn: '2026-03-20' }), 'held')
  })

  test('a new enquiry does not take a case back from a plan or care', () => {
    assert.equal(stageOnSection47Start('assessment'), 'section-47')
    assert.equal(stageOnSection47Start('child-in-need'), 'section-47')
    assert.equal(stageOnSection47Start('child-protection'), null)
    assert.equal(stageOnSection47Start('looked-after'), null)
  })
})

describe('conference decisions and categories', () => {
  test('initial and transfer-in conferences decide on a plan; reviews continue or end it', () => {
    assert.deepEqual(conferenceDecisionsFor('initial'), ['plan', 'no-plan'])
    assert.deepEqual(conferenceDecisionsFor('transfer-in'), ['plan', 'no-plan'])
    assert.deepEqual(conferenceDecisionsFor('review'), ['continue', 'end'])
  })

  test('a plan needs a category; multiple only on its own', () => {
    assert.equal(categoriesProblem('plan', []), 'Select at least one category of abuse')
    assert.equal(categoriesProblem('continue', ['NEG', 'EMO']), null)
    assert.match(categoriesProblem('plan', ['MUL', 'NEG']) ?? '', /on its own/)
    assert.equal(categoriesProblem('plan', ['MUL']), null)
    assert.equal(categoriesProblem('no-plan', []), null)
    assert.equal(categoriesProblem('end', []), null)
  })

  test('the plan records one category, or MUL for several', () => {
    assert.equal(planCategoryOf(['PHY']), 'PHY')
    assert.equal(planCategoryOf(['NEG', 'EMO']), 'MUL')
    assert.equal(planCategoryOf(['MUL']), 'MUL')
    assert.equal(planCategoryOf([]), null)
  })

  test('a weekend conference date is warned about, a weekday is not', () => {
    assert.match(conferenceDateWarning('2026-03-21') ?? '', /Saturday or Sunday/)
    assert.equal(conferenceDateWarning('2026-03-20'), null)
  })
})

describe('times in England', () => {
  test('a wall-clock time becomes the right instant in winter and summer', () => {
    assert.equal(londonInstant('2026-03-02', '10:30').toISOString(), '2026-03-02T10:30:00.000Z')
    assert.equal(londonInstant('2026-07-01', '09:30').toISOString(), '2026-07-01T08:30:00.000Z')
    assert.equal(londonWallClock(new Date('2026-07-01T08:30:00Z')), '2026-07-01 09:30')
  })

  test('times are read on the 24-hour clock', () => {
    assert.equal(normaliseTime('9:05'), '09:05')
    assert.equal(normaliseTime('14.30'), '14:30')
    assert.equal(normaliseTime('24:00'), null)
    assert.equal(normaliseTime('half two'), null)
  })
})
