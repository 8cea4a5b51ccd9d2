import { fileURLToPath } from 'node:url'
import type { Express } from 'express'
import nunjucks from 'nunjucks'
import { agencyTypeLabel, AGENCY_TYPES } from '../domain/organisation/agency-types.ts'
import { roleLabel, ROLES } from '../domain/access/roles.ts'

const viewsDir = fileURLToPath(new URL('./views', import.meta.url))
const govukDir = fileURLToPath(new URL('../../node_modules/govuk-frontend/dist', import.meta.url))

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
  const env = nunjucks.configure([viewsDir, govukDir], { autoescape: true, express: app, noCache: options.noCache })
  app.set('view engine', 'njk')
  env.addFilter('date', formatDate)
  env.addFilter('instant', formatInstant)
  env.addFilter('roleLabel', roleLabel)
  env.addFilter('agencyTypeLabel', agencyTypeLabel)
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
