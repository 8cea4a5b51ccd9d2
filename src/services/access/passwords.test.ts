import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { passwordProblem } from './passwords.ts'
import { password, userInput } from '../organisation/organisation-input.ts'

describe('the password rule for passwords people set', () => {
  test('refuses short, blank, repeated, sequential, keyboard and common passwords', () => {
    for (const weak of ['short', '            ', '\t \t \t \t \t \t ', 'aaaaaaaaaaaa', 'abcabcabcabc', '123456789012', 'qwertyuiopas', 'password1234', 'Password123!', 'iloveyou2024']) {
      assert.ok(passwordProblem(weak), `${JSON.stringify(weak)} is refused`)
    }
    assert.match(passwordProblem('short')!, /at least 12 characters/)
    assert.match(passwordProblem('            ')!, /only spaces/)
    assert.match(passwordProblem('aaaaaaaaaaaa')!, /too easy to guess/)
  })

  test('accepts long unrelated words and random strings', () => {
    for (const strong of ['tide lantern orbit 57', 'a long password here', 'correct horse battery', 'Tr0ub4dour&3-xyzzy']) {
      assert.equal(passwordProblem(strong), null, strong)
    }
  })

  test('a password made of the person’s own name or email is too easy', () => {
    assert.equal(passwordProblem('Robinnewstarter1'), null)
    assert.ok(passwordProblem('Robinnewstarter1', ['Robin Newstarter', 'robin.newstarter@northmoor.example.org']))
  })

  test('the shared input schema applies it (pages, API and CLI)', () => {
    assert.equal(password.safeParse('aaaaaaaaaaaaaaaa').success, false)
    assert.equal(password.safeParse('tide lantern orbit 57').success, true)
    const user = { displayName: 'A', email: 'a@test.together.invalid', agencyId: crypto.randomUUID(), roles: ['social-worker'] }
    assert.equal(userInput.safeParse({ ...user, password: '123456789012' }).success, false)
    assert.equal(userInput.safeParse({ ...user, password: '' }).success, true, 'no password is still allowed (single sign-on)')
  })
})
