import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import {
  addressAsLines,
  addressLines,
  addressProblem,
  DEFAULT_LETTER_TEMPLATES,
  LETTER_KIND,
  letterDate,
  letterTime,
  mergeLetter,
  namesList,
  placeholderProblem,
  placeholdersOf,
  unknownPlaceholders,
} from './letters.ts'

describe('placeholders', () => {
  test('are read in GOV.UK Notify’s ((field)) form, each once, compared without case or extra spaces', () => {
    assert.deepEqual(placeholdersOf('Dear ((Recipient  Name)), about ((child name)) and ((recipient name))'), ['Recipient  Name', 'child name'])
  })
  test('a field Together cannot fill is named in the error; known fields pass', () => {
    assert.deepEqual(unknownPlaceholders('((child name)) ((childs name)) ((Meeting Venue)) ((nhs number))'), ['childs name', 'nhs number'])
    assert.match(placeholderProblem('((childs name))')!, /This placeholder is not a field Together can fill in: \(\(childs name\)\)/)
    assert.match(placeholderProblem('((a)) ((b))')!, /These placeholders are .*\(\(a\)\), \(\(b\)\)/)
    assert.equal(placeholderProblem('Dear ((recipient name))'), null)
  })
  test('every default template uses known fields only, and there is one for each kind but other', () => {
    for (const t of DEFAULT_LETTER_TEMPLATES) assert.deepEqual(unknownPlaceholders(t.body), [], t.kind)
    assert.deepEqual(new Set(DEFAULT_LETTER_TEMPLATES.map((t) => t.kind)), new Set(LETTER_KIND.map((k) => k.code).filter((k) => k !== 'other')))
  })
})

describe('merging', () => {
  test('fills the fields, and leaves a field with nothing recorded as its placeholder, listed', () => {
    const r = mergeLetter('Dear ((Recipient name)), ((child name)) at ((meeting venue)) on ((meeting date)).', {
      'recipient name': 'Ann Smith',
      'child name': 'Sam Smith',
      'meeting venue': '  ',
      'meeting date': null,
    })
    assert.equal(r.text, 'Dear Ann Smith, Sam Smith at ((meeting venue)) on ((meeting date)).')
    assert.deepEqual(r.unfilled, ['meeting venue', 'meeting date'])
  })
  test('a value containing brackets is not merged again', () => {
    assert.equal(mergeLetter('((child name)) ((team name))', { 'child name': '((team name))', 'team name': 'Team' }).text, '((team name)) Team')
  })
  test('names, dates and times read as a letter says them', () => {
    assert.equal(namesList(['Ann', 'Bob', 'Cath']), 'Ann, Bob and Cath')
    assert.equal(namesList(['Ann']), 'Ann')
    assert.equal(letterDate('2026-03-03', 'en'), 'Tuesday 3 March 2026')
    assert.equal(letterDate('2026-03-03', 'en', false), '3 March 2026')
    assert.match(letterDate('2026-03-03', 'cy'), /Mawrth/)
    assert.equal(letterTime('10:30'), '10:30am')
    assert.equal(letterTime('14:00'), '2pm')
    assert.equal(letterTime('00:05'), '12:05am')
  })
})

describe('addresses', () => {
  test('lines from new lines or commas; the postcode added when the address lacks it', () => {
    assert.deepEqual(addressLines('1 High Street,\n\n Town ,AB1 2CD'), ['1 High Street', 'Town', 'AB1 2CD'])
    assert.deepEqual(addressAsLines('Ann Smith', '1 High Street, Town', 'AB1 2CD'), ['Ann Smith', '1 High Street', 'Town', 'AB1 2CD'])
    assert.deepEqual(addressAsLines('Ann Smith', '1 High Street, Town, AB1 2CD', 'ab12cd'), ['Ann Smith', '1 High Street', 'Town', 'AB1 2CD'])
  })
  test('3 to 7 lines, the last a postcode or a country', () => {
    assert.equal(addressProblem(['Ann Smith', '1 High Street', 'AB1 2CD']), null)
    assert.equal(addressProblem(['Ann Smith', '1 Rue de Paris', 'France']), null)
    assert.match(addressProblem(['Ann Smith', 'AB1 2CD'])!, /at least 3 lines/)
    assert.match(addressProblem(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'])!, /fit on 7 lines; it has 8/)
    assert.match(addressProblem(['Ann Smith', 'High Street', 'Flat 12'])!, /must be a UK postcode or a country/)
  })
})
