/**
 * Field schemas shared by the notes, tasks, family and looked-after inputs. Pages and the JSON API
 * parse with the same schemas: pages post strings ('yes'/'no', '' for an empty field), API clients
 * post JSON values, and both come out typed.
 */
import { z } from 'zod'

const blankToUndefined = (v: unknown) => (v === '' || v === null ? undefined : v)
const blankToNull = (v: unknown) => (v === '' ? null : v)
const capitalised = (s: string) => s.charAt(0).toUpperCase() + s.slice(1)

/** A calendar date that must be given: 'YYYY-MM-DD'. `what` reads "the date of the visit". */
export const requiredDate = (what: string) =>
  z.preprocess(
    blankToUndefined,
    z.iso.date({ error: (issue) => (issue.input === undefined ? `Enter ${what}` : `${capitalised(what)} must be a real date`) }),
  )

/** A calendar date that may be left out (null). */
export const optionalDate = (what: string) =>
  z.preprocess(blankToNull, z.iso.date({ error: `${capitalised(what)} must be a real date` }).nullable())

/** A yes/no question: radios post 'yes' or 'no', the API sends a boolean. */
export const yesNo = (question: string) =>
  z.preprocess(
    (v) => (v === 'yes' ? true : v === 'no' ? false : v),
    z.boolean({ error: `Select yes or no: ${question}` }),
  )

export const optionalYesNo = (question: string) =>
  z.preprocess((v) => (v === 'yes' ? true : v === 'no' ? false : v === '' ? null : v), z.boolean({ error: `Select yes or no: ${question}` }).nullable())

/** A line of text that must be given, trimmed, at most `max` characters. */
export const requiredText = (what: string, max = 200) =>
  z
    .string({ error: `Enter ${what}` })
    .trim()
    .min(1, `Enter ${what}`)
    .max(max, `${capitalised(what)} must be ${max} characters or fewer`)

/** Text that may be left out: '' and whitespace become null. */
export const optionalText = (what: string, max = 2000) =>
  z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? null : v),
    z.string().trim().max(max, `${capitalised(what)} must be ${max} characters or fewer`).nullable(),
  )

/** The version of a record the user read, which a change must name. */
export const version = z.coerce.number({ error: 'The form is out of date: reload the page' }).int().min(1)

/**
 * Field errors for dates after `today` (events are recorded once they have happened). `dates`
 * maps each field to its value and how to name it, e.g. { occurredOn: [value, 'The date of the visit'] }.
 */
export function futureDateErrors(
  today: string,
  dates: Record<string, [value: string | null | undefined, what: string]>,
): Record<string, string> {
  const errors: Record<string, string> = {}
  for (const [field, [value, what]] of Object.entries(dates)) {
    if (value && value > today) errors[field] = `${capitalised(what)} must be today or in the past`
  }
  return errors
}

/** A time of day in England on the 24-hour clock: '14:30' or '14.30' (sent as 'HH:MM'). */
export const timeOfDay = (what: string) =>
  z
    .string({ error: `Enter ${what}` })
    .trim()
    .regex(/^([01]?\d|2[0-3])[:.][0-5]\d$/, `Enter ${what} in 24-hour format, like 14:30`)
    .transform((t) => t.replace('.', ':').padStart(5, '0'))
