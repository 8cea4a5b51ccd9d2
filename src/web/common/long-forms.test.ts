/**
 * Drafts on every long form (issue 17, section 6): every form template of more than a few fields
 * keeps a draft as the user types (the autosave macro, web/common/drafts.ts), so a new long form
 * cannot be added without one. Fields are counted in the template's source: GOV.UK field macros,
 * raw inputs, and the templates' own macros that draw a field (a date's three inputs count once;
 * a field in a loop once). Searches (GET forms) keep no drafts, and a form with a password must
 * never keep one: a draft would store it.
 */
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'

/** A form of this many fields or more keeps a draft. */
const LONG_FORM_FIELDS = 5

/** Long forms that keep no draft, and why (besides those with a password, which never do). */
const EXEMPT: Record<string, string> = {
  // A browser cannot put chosen files back into a form, so a draft could keep only the title,
  // kind, date and sender: a few words, kept anyway when the upload is refused.
  'records/documents/upload.njk': 'an upload: the files chosen cannot be kept in a draft',
  'partnership/record-documents/upload.njk': 'an upload to a LADO case or practice review: as records/documents/upload.njk',
}

const WEB = join(import.meta.dirname, '..')
const GOVUK_FIELDS = ['govukInput', 'govukTextarea', 'govukCharacterCount', 'govukRadios', 'govukCheckboxes', 'govukSelect', 'govukDateInput', 'govukFileUpload', 'govukPasswordInput']
const RAW_FIELD = /<(?:textarea|select)\b|<input\b(?![^>]*type="(?:hidden|submit|button)")/g
const PASSWORD = /govukPasswordInput\(|type="password"/

const templates = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? templates(join(dir, e.name)) : e.name.endsWith('.njk') ? [join(dir, e.name)] : []))

const sources = templates(WEB).map((path) => ({ path: relative(WEB, path).split('\\').join('/'), text: readFileSync(path, 'utf8') }))

const calls = (text: string, name: string) => text.match(new RegExp(`\\b${name}\\(`, 'g'))?.length ?? 0

/** The GOV.UK field macros and every macro of ours that draws a field (directly or through another). */
function fieldMacros(): string[] {
  const bodies = new Map<string, string>()
  for (const { text } of sources) for (const m of text.matchAll(/{%-?\s*macro\s+(\w+)\(([\s\S]*?){%-?\s*endmacro/g)) bodies.set(m[1]!, (bodies.get(m[1]!) ?? '') + m[2]!)
  const names = new Set(GOVUK_FIELDS)
  for (let grew = true; grew; ) {
    grew = false
    for (const [name, body] of bodies) {
      if (names.has(name) || /<form\b/.test(body)) continue
      if ([...names].some((n) => calls(body, n) > 0) || (body.match(RAW_FIELD)?.length ?? 0) > 0) {
        names.add(name)
        grew = true
      }
    }
  }
  return [...names]
}

interface FormSource {
  /** Template path and the form's action, e.g. `journey/assessments/show.njk /cases/{{ c.id }}/…`. */
  name: string
  open: string
  fields: number
}

function forms(): FormSource[] {
  const macros = fieldMacros()
  return sources.flatMap(({ path, text }) =>
    [...text.matchAll(/(<form\b[^>]*>)([\s\S]*?)<\/form>/g)]
      .filter((m) => !/method="get"/i.test(m[1]!))
      .map((m) => ({
        name: `${path} ${m[1]!.match(/action="([^"]*)"/)?.[1] ?? '(this page)'}`,
        open: m[1]!,
        fields: macros.reduce((n, f) => n + calls(m[2]!, f), 0) + (m[2]!.match(RAW_FIELD)?.length ?? 0),
        body: m[2]!,
      })),
  ).map(({ body, ...form }) => ({ ...form, password: PASSWORD.test(body) }) as FormSource & { password: boolean })
}

describe('drafts on every long form', () => {
  const all = forms() as (FormSource & { password: boolean })[]

  test('the templates are read: the forms the issue names are found and counted as long', () => {
    const long = all.filter((f) => f.fields >= LONG_FORM_FIELDS).map((f) => f.name)
    for (const named of ['journey/child-protection/conference.njk', 'journey/child-protection/strategy-discussion-form.njk', 'partnership/lado/new.njk', 'journey/child-details/change.njk']) {
      assert.ok(long.some((n) => n.startsWith(named)), `${named} has a long form`)
    }
  })

  test(`every form of ${LONG_FORM_FIELDS} or more fields keeps a draft (data-autosave), unless exempt with a reason`, () => {
    const missing = all
      .filter((f) => f.fields >= LONG_FORM_FIELDS && !/autosave/.test(f.open) && !f.password)
      .filter((f) => !Object.keys(EXEMPT).some((k) => f.name.startsWith(k)))
      .map((f) => `${f.name} (${f.fields} fields)`)
    assert.deepEqual(missing, [], 'add {{ autosave(key) }} to these forms and discardSentDraft where they are saved (web/common/drafts.ts)')
  })

  test('the exemptions are still needed: each names a long form without a draft', () => {
    for (const key of Object.keys(EXEMPT)) {
      const form = all.find((f) => f.name.startsWith(key))
      assert.ok(form && form.fields >= LONG_FORM_FIELDS && !/autosave/.test(form.open), `${key} is no longer a long form without a draft: remove its exemption`)
    }
  })

  test('a form with a password keeps no draft', () => {
    assert.deepEqual(all.filter((f) => f.password && /autosave/.test(f.open)).map((f) => f.name), [])
  })

  test('every draft key names its form, and a record’s id when the form is about one', () => {
    for (const f of all.filter((f) => /autosave/.test(f.open) && !f.name.startsWith('journey/case-notes/'))) {
      const call = f.open.match(/autosave\((.*)\) }}/)?.[1] ?? ''
      assert.match(call, /^\(?"[a-z][a-z0-9-]*(:|")/, `${f.name}: the key starts with the form's name`)
      const recordForm = /\{\{ *\w+\.id *\}\}/.test(f.open.match(/action="([^"]*)"/)?.[1] ?? '')
      if (recordForm) assert.match(call, /\+ *\w+\.(id|agencyId)/, `${f.name}: the key includes the record's id`)
    }
  })
})
