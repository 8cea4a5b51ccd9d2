import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Express } from 'express'
import nunjucks from 'nunjucks'
import { agencyTypeLabel, AGENCY_TYPES } from '../../domain/organisation/agency-types.ts'
import { roleLabel, ROLES } from '../../domain/access/roles.ts'
import * as DFE from '../../domain/journey/dfe-codes.ts'
import * as JOURNEY from '../../domain/journey/codes.ts'
import * as PARTNERSHIP from '../../domain/partnership/codes.ts'
import * as CARE from '../../domain/care/codes.ts'
import * as PERMANENCE from '../../domain/care/permanence.ts'
import { labelOf, plainLabel, type Code } from '../../domain/journey/dfe-codes.ts'
import { indent, speedUpNunjucks } from './nunjucks-runtime.ts'

const webDir = fileURLToPath(new URL('..', import.meta.url))
/**
 * Templates live beside their routes in `web/<capability>/<feature>/`; shared layout, partials and
 * error pages in `web/common/`. Each capability folder is a search path, so a template is named by
 * its feature folder ("front-door/contact.njk") wherever the capability is; feature folder names
 * are unique across capabilities (nunjucks.test.ts checks).
 */
export const templateDirs = [
  join(webDir, 'common'),
  ...readdirSync(webDir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && e.name !== 'common' && e.name !== 'assets')
    .map((e) => join(webDir, e.name))
    .sort(),
]
const govukDir = fileURLToPath(new URL('../../../node_modules/govuk-frontend/dist', import.meta.url))

const dateFormat = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' })
const instantFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
})

/** '2026-03-14' → '14 March 2026' (calendar dates carry no time zone). */
export function formatDate(value: string | null | undefined): string {
  if (!value) return ''
  return dateFormat.format(new Date(`${value}T00:00:00Z`))
}

/** An instant shown in England's local time. */
export function formatInstant(value: Date | string | null | undefined): string {
  if (!value) return ''
  return instantFormat.format(typeof value === 'string' ? new Date(value) : value)
}

export function setUpNunjucks(app: Express, options: { noCache: boolean }): nunjucks.Environment {
  const env = nunjucks.configure([...templateDirs, govukDir], { autoescape: true, express: app, noCache: options.noCache })
  app.set('view engine', 'njk')
  // nunjucks' own trim (/^\s*|\s*$/g) is quadratic on long strings and GOV.UK macros trim every
  // block they wrap; String#trim removes the same characters in linear time.
  const { copySafeness } = nunjucks.runtime as unknown as { copySafeness(from: unknown, to: string): unknown }
  env.addFilter('trim', (value: unknown) => copySafeness(value, String(value ?? '').trim()))
  // The same for indent, which they apply to each other's output at every level of nesting; and
  // the rest of the work nunjucks repeats on every render (nunjucks-runtime.ts).
  env.addFilter('indent', indent)
  speedUpNunjucks(env)
  env.addFilter('date', formatDate)
  env.addFilter('instant', formatInstant)
  env.addFilter('roleLabel', roleLabel)
  env.addFilter('agencyTypeLabel', agencyTypeLabel)
  env.addFilter('caseStage', (code: string) => labelOf(JOURNEY.CASE_STAGE, code))
  /** `value | codeLabel("REFERRAL_SOURCE")`: the label of a code from any code set by its name. */
  env.addFilter('codeLabel', (code: string | null | undefined, set: string) => plainLabel(labelOf(CODE_SETS[set] ?? [], code)))
  env.addFilter('clockState', clockStateText)
  /** `clock | delayReasonText`: a clock's reason for delay, "<code's label>: <words>" or either alone. */
  env.addFilter('delayReasonText', JOURNEY.delayReasonText)
  env.addGlobal('CODES', CODE_SETS)
  /** Options for govukSelect/govukRadios/govukCheckboxes from a code set, e.g. codeOptions("REFERRAL_SOURCE", value). */
  env.addGlobal('codeOptions', (set: string, selected?: string | string[] | null, includeRetired = false) =>
    (CODE_SETS[set] ?? [])
      .filter((c) => includeRetired || !c.retired)
      .map((c) => ({
        value: c.code,
        text: c.label,
        selected: Array.isArray(selected) ? selected.includes(c.code) : selected === c.code,
        checked: Array.isArray(selected) ? selected.includes(c.code) : selected === c.code,
      })),
  )
  env.addGlobal('ROLES', ROLES)
  env.addGlobal('AGENCY_TYPES', AGENCY_TYPES)
  /** Options for govukSelect/govukRadios/govukCheckboxes from a {value: label} map. */
  env.addGlobal('optionsFrom', (map: Record<string, string>, selected?: string | string[]) =>
    Object.entries(map).map(([value, text]) => ({
      value,
      text,
      selected: Array.isArray(selected) ? selected.includes(value) : selected === value,
      checked: Array.isArray(selected) ? selected.includes(value) : selected === value,
    })),
  )
  return env
}

/** Every code set, DfE's and Together's, by its exported name (REFERRAL_SOURCE, S47_OUTCOME ...). */
const CODE_SETS: Record<string, readonly Code[]> = Object.fromEntries(
  Object.entries({ ...DFE, ...JOURNEY, ...PARTNERSHIP, ...CARE, ...PERMANENCE }).filter(([name, v]) => /^[A-Z][A-Z0-9_]*$/.test(name) && Array.isArray(v)),
) as Record<string, readonly Code[]>

/** A clock's state in words: "Due in 3 working days", "Overdue by 2 days", "Completed late". */
export function clockStateText(k: { state: string; daysRemaining: number | null; daysLate: number | null; counting: string }): string {
  const unit = (n: number) => `${n} ${k.counting === 'working-days' ? 'working ' : ''}day${n === 1 ? '' : 's'}`
  switch (k.state) {
    case 'due':
      return k.daysRemaining === 0 ? 'Due today' : `Due in ${unit(k.daysRemaining ?? 0)}`
    case 'overdue':
      return `Overdue by ${unit(k.daysLate ?? 0)}`
    case 'completed-on-time':
      return 'Completed on time'
    default:
      return `Completed late by ${unit(k.daysLate ?? 0)}`
  }
}
