import { test } from 'node:test'
import assert from 'node:assert/strict'
import { failureMessage } from './errors.ts'

test("an unexpected database error is printed by code and constraint, never with the query's parameters", () => {
  const refused = Object.assign(new Error('duplicate key value violates unique constraint "person_nhs"'), {
    name: 'DatabaseError', code: '23505', constraint: 'person_nhs', table: 'person', detail: 'Key (nhs_number)=(9990000034) already exists.',
  })
  const failed = Object.assign(new Error('Failed query: insert into "person" values ($1, $2)\nparams: Quillonmere,9990000034'), {
    query: 'insert into "person" values ($1, $2)', params: ['Quillonmere', '9990000034'], cause: refused,
  })
  const printed = failureMessage(failed)
  assert.doesNotMatch(printed, /Quillonmere|9990000034|Failed query/)
  assert.equal(printed, 'the database refused the operation (PostgreSQL error 23505; constraint person_nhs, table person)')
  assert.equal(failureMessage(new Error('no such file: people.csv')), 'no such file: people.csv', 'other errors keep their message')
})
