import assert from 'node:assert/strict'
import { test } from 'node:test'
import express from 'express'
import * as DFE from '../../domain/journey/dfe-codes.ts'
import * as JOURNEY from '../../domain/journey/codes.ts'
import { readdirSync } from 'node:fs'
import { setUpNunjucks, templateDirs } from './nunjucks.ts'

const env = setUpNunjucks(express(), { noCache: true })
const render = (template: string) => env.renderString(template, {})

test('every code set, including names with digits such as S47_OUTCOME, gives options and labels', () => {
  const sets = Object.entries({ ...DFE, ...JOURNEY }).filter(
    ([name, v]) => /^[A-Z][A-Z0-9_]*$/.test(name) && Array.isArray(v) && typeof (v as unknown[])[0] === 'object',
  )
  assert.ok(sets.some(([name]) => name === 'S47_OUTCOME'))
  for (const [name, codes] of sets as [string, readonly DFE.Code[]][]) {
    const current = codes.filter((c) => !c.retired).map((c) => c.code)
    const offered = render(`{% for o in codeOptions("${name}") %}{{ o.value }}|{% endfor %}`)
    assert.deepEqual(offered.split('|').filter(Boolean), current, `codeOptions("${name}")`)
    const first = codes[0]!
    assert.equal(render(`{{ "${first.code}" | codeLabel("${name}") }}`), env.getFilter('escape')(DFE.plainLabel(first.label)).toString(), `codeLabel for ${name}`)
  }
})

test('the section 47 outcome is offered and named', () => {
  assert.match(render('{% for o in codeOptions("S47_OUTCOME", "substantiated-continuing-risk") %}{{ o.text }}={{ o.checked }};{% endfor %}'),
    /Concerns substantiated, child judged at continuing risk: initial conference=true/)
  assert.equal(render('{{ "not-substantiated" | codeLabel("S47_OUTCOME") }}'), 'Concerns not substantiated')
})

test('template folders: a feature folder name is used by one capability only, so its templates are found', () => {
  const owners = new Map<string, string[]>()
  for (const dir of templateDirs) {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (!e.isDirectory()) continue
      owners.set(e.name, [...(owners.get(e.name) ?? []), dir])
    }
  }
  const shared = [...owners].filter(([, dirs]) => dirs.length > 1)
  assert.deepEqual(shared, [])
  assert.ok(owners.has('front-door') && owners.has('partials'))
})
