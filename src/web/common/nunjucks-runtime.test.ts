/**
 * The render-time changes of nunjucks-runtime.ts change nothing a template renders: GOV.UK
 * components and our own macros render byte for byte as nunjucks renders them, a macro file
 * imported without context runs once and still keeps renders apart, and the linear `indent` and
 * `Frame.set` agree with nunjucks' own. The tests before `speedUpNunjucks` is installed record
 * what nunjucks itself renders; it is installed once for the whole process.
 */
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { after, test } from 'node:test'
import nunjucks from 'nunjucks'
import { indent, speedUpNunjucks } from './nunjucks-runtime.ts'

const govukDir = fileURLToPath(new URL('../../../node_modules/govuk-frontend/dist', import.meta.url))
const dir = mkdtempSync(join(tmpdir(), 'together-nunjucks-'))
after(() => rmSync(dir, { recursive: true, force: true }))

const files: Record<string, string> = {
  // A macro file that counts how often it is run (its top level calls `ran()`), and whose macro
  // includes a template that sets a top-level variable only sometimes: a value kept from one
  // render would show in the next.
  'counted.njk': `{% set runs = ran() %}{% macro box(label, flag) %}{% include "box.njk" %}{% endmacro %}`,
  'box.njk': `{% if flag %}{% set extra = " (flagged)" %}{% endif %}[{{ label }}{{ extra }}]`,
  'page.njk': `{% from "counted.njk" import box %}{{ box(who, flag) }}`,
  'with-context.njk': `{% from "greeting.njk" import hello with context %}{{ hello() }}`,
  'greeting.njk': `{% macro hello() %}Hello {{ who }}{% endmacro %}`,
  'loops.njk': `{% for a in [1, 2] %}{% for b in ["x", "y"] %}{{ loop.index }}{{ loop.first }}{{ loop.last }}{{ loop.length }}{{ loop.revindex0 }}{% endfor %}{{ loop.index0 }}{% endfor %}{% set n = 1 %}{% for i in [1, 2] %}{% set n = n + i %}{% endfor %}{{ n }}`,
  'govuk.njk': `{% from "govuk/components/date-input/macro.njk" import govukDateInput %}
{% from "govuk/components/checkboxes/macro.njk" import govukCheckboxes %}
{% from "govuk/components/select/macro.njk" import govukSelect %}
{% from "govuk/components/details/macro.njk" import govukDetails %}
{% from "govuk/components/summary-list/macro.njk" import govukSummaryList %}
{% from "govuk/components/tag/macro.njk" import govukTag %}
{% from "govuk/components/error-summary/macro.njk" import govukErrorSummary %}
{% set form %}
{{ govukErrorSummary({ titleText: "There is a problem", errorList: [{ text: "Enter a date", href: "#from" }] }) if withErrors }}
{{ govukDateInput({ id: "from", namePrefix: "from", fieldset: { legend: { text: "From" } }, hint: { text: "For example, 1 1 2026." },
  errorMessage: { text: "Enter a date" } if withErrors,
  items: [{ name: "day", label: "Day", classes: "govuk-input--width-2", value: day }, { name: "month", label: "Month", classes: "govuk-input--width-2" }, { name: "year", label: "Year", classes: "govuk-input--width-4" }] }) }}
{{ govukCheckboxes({ name: "kinds", fieldset: { legend: { text: "Kinds" } }, hint: { html: "Leave all <em>unticked</em>\\nto see every kind." },
  items: [{ value: "a", text: "A & B", checked: true }, { value: "b", text: "B", hint: { text: "A hint\\nover two lines" } }, { divider: "or" }, { value: "c", html: "<strong>C</strong>", behaviour: "exclusive" }] }) }}
{{ govukSelect({ id: "agency", name: "agency", label: { text: "Recorded by" }, items: [{ value: "", text: "Every agency" }, { value: "1", text: "Police", selected: true }] }) }}
{% endset %}
{{ govukDetails({ summaryText: "Filter", html: form, open: withErrors }) }}
{{ govukSummaryList({ rows: [{ key: { text: "Status" }, value: { html: govukTag({ text: "Open" }) } }, { key: { text: "Name" }, value: { text: who } }] }) }}`,
}
for (const [name, source] of Object.entries(files)) writeFileSync(join(dir, name), source)

let runs = 0
function environment(): nunjucks.Environment {
  const env = new nunjucks.Environment(new nunjucks.FileSystemLoader([dir, govukDir]), { autoescape: true })
  env.addGlobal('ran', () => ++runs)
  return env
}
const contexts = [
  { who: 'Sam <Smith>', flag: true, withErrors: true, day: '3' },
  { who: 'Alex', flag: false, withErrors: false, day: '' },
  { who: 'Jo', flag: false, withErrors: true, day: '31' },
]
const TEMPLATES = ['page.njk', 'with-context.njk', 'loops.njk', 'govuk.njk']
const renderAll = (env: nunjucks.Environment) => TEMPLATES.flatMap((t) => contexts.map((c) => env.render(t, c)))

const INDENTED = ['', 'one line', 'two\nlines', '\nleading and trailing\n', 'a\n\nblank line between', 'crlf\r\nline']
const indentCases = (fn: (value: unknown, width?: number, first?: boolean) => unknown) =>
  INDENTED.flatMap((s) => [
    fn(s),
    fn(s, 2),
    fn(s, 2, true),
    fn(s, 0),
    String(fn(new nunjucks.runtime.SafeString(s), 4, true)),
    fn(new nunjucks.runtime.SafeString(s)) instanceof nunjucks.runtime.SafeString,
  ]).concat([fn(null), fn(undefined), fn(false)] as never[])

// What nunjucks itself does, before anything is installed.
const nunjucksIndent = new nunjucks.Environment().getFilter('indent') as (value: unknown, width?: number, first?: boolean) => unknown
const expected = { renders: renderAll(environment()), runs, indent: indentCases(nunjucksIndent) }

test('GOV.UK components and our macros render byte for byte as nunjucks renders them', () => {
  const env = environment()
  speedUpNunjucks(env)
  env.addFilter('indent', indent)
  assert.deepEqual(renderAll(env), expected.renders)
  assert.ok(expected.renders.some((html) => html.includes('govuk-date-input__item')), 'the GOV.UK components rendered')
  // Twice more, so that the macro files already run (and names already resolved) are used.
  assert.deepEqual(renderAll(env), expected.renders)
})

test('a macro file imported without context runs once, and renders stay apart', () => {
  const env = environment()
  speedUpNunjucks(env)
  const before = runs
  const pages = contexts.map((c) => env.render('page.njk', c))
  assert.deepEqual(pages, ['[Sam &lt;Smith&gt; (flagged)]', '[Alex]', '[Jo]'], 'the flag set in one render is not in the next')
  assert.equal(runs - before, 1, 'counted.njk ran once for the three renders (nunjucks runs it on every import)')
  assert.equal(expected.runs, contexts.length, 'nunjucks itself ran it on every import')
  assert.deepEqual(contexts.map((c) => env.render('with-context.njk', c)), ['Hello Sam &lt;Smith&gt;', 'Hello Alex', 'Hello Jo'], 'an import with context sees each render')
})

test('indent agrees with nunjucks’ own', () => {
  assert.deepEqual(indentCases(indent), expected.indent)
})
