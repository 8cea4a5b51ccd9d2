import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { formatNhsNumber, isValidNhsNumber, nhsCheckDigit, normaliseNhsNumber } from './nhs-number.ts'

describe('NHS number modulus 11 check', () => {
  test('accepts numbers whose last digit is the check digit', () => {
    // 9+9+9 weighted 10, 9, 8 = 243, plus 5 × 2 = 253; 253 mod 11 = 0, so the check is 11, written 0.
    assert.equal(isValidNhsNumber('9990000050'), true)
    // 943 476 5919 is the NHS's published example.
    assert.equal(isValidNhsNumber('9434765919'), true)
    assert.equal(nhsCheckDigit('943476591'), 9)
  })

  test('refuses a wrong check digit, and a transposition of two digits', () => {
    assert.equal(isValidNhsNumber('9990000051'), false)
    assert.equal(isValidNhsNumber('9434765991'), false)
  })

  test('refuses numbers whose check value would be 10 (never issued)', () => {
    // 9+9+9 weighted 10, 9, 8 = 243; 243 mod 11 = 1, so the check value is 10.
    assert.equal(nhsCheckDigit('999000000'), null)
    for (let d = 0; d <= 9; d++) assert.equal(isValidNhsNumber(`999000000${d}`), false)
  })

  test('ignores spaces and hyphens but nothing else', () => {
    assert.equal(isValidNhsNumber('999 000 0050'), true)
    assert.equal(isValidNhsNumber('999-000-0050'), true)
    assert.equal(isValidNhsNumber('999.000.0050'), false)
    assert.equal(isValidNhsNumber('999000005'), false)
    assert.equal(isValidNhsNumber('99900000500'), false)
    assert.equal(isValidNhsNumber(''), false)
    assert.equal(normaliseNhsNumber(' 999 000 0050 '), '9990000050')
    assert.equal(normaliseNhsNumber('abc'), null)
  })

  test('formats ten digits as 3-3-4', () => {
    assert.equal(formatNhsNumber('9990000050'), '999 000 0050')
  })
})
