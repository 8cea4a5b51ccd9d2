/** Census codes are shown as DfE's descriptions in sentence case, never as codes or capitals (issue 16, item 14b). */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import express from 'express'
import { setUpNunjucks } from './nunjucks.ts'
import { plainLabel } from '../../domain/journey/dfe-codes.ts'

test('codeLabel gives the DfE description without shouting, keeping acronyms', () => {
  const env = setUpNunjucks(express(), { noCache: true })
  const label = (code: string, set: string) => env.renderString(`{{ code | codeLabel(set) }}`, { code, set })
  assert.equal(label('2A', 'REFERRAL_SOURCE'), 'Schools')
  assert.equal(label('3E', 'REFERRAL_SOURCE'), 'Health services – A&amp;E (accident and emergency department)')
  assert.equal(label('5D', 'REFERRAL_SOURCE'), 'LA services – early help')
  assert.equal(label('7', 'REFERRAL_SOURCE'), 'Other legal agency – including courts, probation, immigration, CAFCASS (Children and Family Court Advisory and Support Service) or prison')
  assert.equal(label('N4', 'PRIMARY_NEED'), 'Family in acute stress')
  assert.equal(label('RC8', 'REASON_FOR_CLOSURE'), 'Case closed after assessment, no further action')
  assert.match(label('16A', 'ASSESSMENT_FACTOR'), /^Abuse or neglect – ‘neglect’:/)
  assert.equal(plainLabel('Neglect'), 'Neglect')
})
