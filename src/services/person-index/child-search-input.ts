/**
 * The child search's input, for the header's one search field, the results page's refine form and
 * GET /api/v1/child-search alike: `q`, free text ("Ava Quillon 3/4/2016", "age 7 QK4 6BW",
 * "999 000 0018"), read into a name, a date of birth or an age, an NHS number and a postcode; and
 * the same criteria as separate fields, which win over what `q` said.
 */
import { z } from 'zod'
import { parsePostcode } from '../../domain/person-index/postcode.ts'
import { isValidNhsNumber, normaliseNhsNumber } from '../../domain/journey/nhs-number.ts'
import type { PeopleCriteria } from './people.ts'

export const MAX_AGE = 25

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v)
const optionalString = (what: string, max: number) =>
  z.preprocess(blankToUndefined, z.string().trim().max(max, `${what} must be ${max} characters or fewer`).optional())

/** A date as typed: 'YYYY-MM-DD' or day/month/year; null when it is not a real date. */
export function dateOf(text: string): string | null {
  const iso = text.match(/^(\d{4})-(\d{1,2})-(\d{1,2})$/)
  const dmy = text.match(/^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/)
  const [y, m, d] = iso ? [iso[1], iso[2], iso[3]] : dmy ? [dmy[3], dmy[2], dmy[1]] : []
  if (!y || !m || !d) return null
  const value = `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`
  const date = new Date(`${value}T00:00:00Z`)
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value ? value : null
}

export interface ReadQuery {
  criteria: Omit<PeopleCriteria, 'nhsNumber' | 'postcode'> & { nhsNumber?: string; postcode?: string }
  /** What could not be read, to tell the user. */
  problem?: string
}

/** Reads free text into criteria: an NHS number, a date, an age, a postcode, and names in what is left. */
export function readQuery(text: string): ReadQuery {
  let rest = ` ${text} `
  const take = (re: RegExp) => {
    const m = rest.match(re)
    if (m) rest = rest.replace(m[0], ' ')
    return m
  }
  const criteria: ReadQuery['criteria'] = {}
  const nhs = take(/(?<![\d])\d{3}[\s-]?\d{3}[\s-]?\d{4}(?![\d])/)
  if (nhs) criteria.nhsNumber = nhs[0]
  const date = take(/(?<![\d/.-])(\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[/.-]\d{1,2}[/.-]\d{4})(?![\d/.-])/)
  if (date) {
    const value = dateOf(date[1]!)
    if (!value) return { criteria, problem: `‘${date[1]}’ is not a real date of birth: write it like 27/3/2019` }
    criteria.dateOfBirth = value
  }
  const age = take(/\bage[ds]?\s*(\d{1,3})\b/i) ?? take(/\b(\d{1,3})\s*(?:years?|yrs?|yo)(?:\s+old)?(?![a-z])/i)
  if (age) criteria.age = Number(age[1])
  const postcode = take(/\b[A-Z]{1,2}[0-9][0-9A-Z]?\s*[0-9][A-Z]{2}\b/i)
  if (postcode) criteria.postcode = postcode[0]
  const words = rest.split(/[\s,]+/).filter(Boolean)
  const odd = words.find((w) => !/^[\p{L}][\p{L}'’.-]*$/u.test(w))
  if (odd) return { criteria, problem: `We could not tell what ‘${odd}’ is: search by name, date of birth (27/3/2019), age (age 7), NHS number or postcode` }
  if (words.length === 1) criteria.name = words[0]
  else if (words.length > 1) Object.assign(criteria, { givenName: words[0], familyName: words.slice(1).join(' ') })
  return { criteria }
}

const fields = z.object({
  q: optionalString('The search', 200),
  givenName: optionalString('The first name', 100),
  familyName: optionalString('The last name', 100),
  name: optionalString('The name', 100),
  dateOfBirth: z.preprocess(blankToUndefined, z.string().trim().optional()),
  age: z.preprocess(blankToUndefined, z.string().trim().optional()),
  nhsNumber: z.preprocess(blankToUndefined, z.string().trim().optional()),
  postcode: z.preprocess(blankToUndefined, z.string().trim().max(10, 'Enter a real postcode, like QK4 6BW').optional()),
})

/** The criteria, checked: what the free text said, overridden by the separate fields. */
export const childSearchInput = fields.transform((v, ctx): PeopleCriteria => {
  const fail = (path: string, message: string) => {
    ctx.addIssue({ code: 'custom', path: [path], message })
    return z.NEVER
  }
  const read = v.q ? readQuery(v.q) : { criteria: {} as ReadQuery['criteria'] }
  if (read.problem) return fail('q', read.problem)
  const given = { ...read.criteria }
  for (const key of ['givenName', 'familyName', 'name', 'nhsNumber', 'postcode'] as const) if (v[key]) given[key] = v[key]
  if (v.givenName || v.familyName) delete given.name
  const out: PeopleCriteria = { givenName: given.givenName, familyName: given.familyName, name: given.name }
  const field = (key: string) => (key in v && v[key as keyof typeof v] ? key : 'q')
  const dateText = v.dateOfBirth
  if (dateText) {
    const value = dateOf(dateText)
    if (!value) return fail('dateOfBirth', 'Enter a real date of birth, like 27/3/2019')
    out.dateOfBirth = value
  } else if (given.dateOfBirth) out.dateOfBirth = given.dateOfBirth
  const ageValue = v.age !== undefined ? v.age : given.age !== undefined ? String(given.age) : undefined
  if (ageValue !== undefined) {
    if (!/^\d{1,3}$/.test(ageValue) || Number(ageValue) > MAX_AGE) return fail(field('age'), `Enter an age in whole years, from 0 to ${MAX_AGE}`)
    out.age = Number(ageValue)
  }
  if (out.dateOfBirth && out.age !== undefined) return fail(field('age'), 'Enter a date of birth or an age, not both')
  if (given.nhsNumber) {
    if (normaliseNhsNumber(given.nhsNumber) === null) return fail(field('nhsNumber'), 'Enter the NHS number as 10 digits, like 999 000 0050')
    if (!isValidNhsNumber(given.nhsNumber)) return fail(field('nhsNumber'), 'This is not a valid NHS number: check each digit')
    out.nhsNumber = normaliseNhsNumber(given.nhsNumber)!
  }
  if (given.postcode) {
    const postcode = parsePostcode(given.postcode)
    if (!postcode) return fail(field('postcode'), 'Enter a real postcode, like QK4 6BW')
    out.postcode = postcode.unit || postcode.district
  }
  for (const key of Object.keys(out) as (keyof PeopleCriteria)[]) if (out[key] === undefined) delete out[key]
  if (Object.keys(out).length === 0) return fail('q', 'Enter a name, a date of birth, an age, an NHS number or a postcode to search for')
  return out
})

export type ChildSearchInput = z.input<typeof childSearchInput>
