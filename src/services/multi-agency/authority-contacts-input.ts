import { z } from 'zod'
import { version } from '../common/fields-input.ts'

/** Text that may be left out or empty (null); at most `max` characters. */
const maybe = (what: string, max: number) =>
  z.preprocess(
    (v) => (v === undefined || v === null || (typeof v === 'string' && v.trim() === '') ? null : v),
    z.string({ error: `${what} must be text` }).trim().max(max, `${what} must be ${max} characters or fewer`).nullable(),
  )

const email = (what: string) =>
  maybe(what, 200).refine((v) => v === null || /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v), { error: `Enter ${what.toLowerCase()} like duty@council.example` })

/**
 * How a clinician reaches the responsible authority: the day-time duty line and when it answers,
 * and the out-of-hours (emergency duty) service. Each may be left empty; the version read is named.
 */
export const authorityContactsInput = z.object({
  phone: maybe('The day-time telephone number', 50),
  email: email('The day-time email address'),
  hours: maybe('When the day-time line answers', 200),
  outOfHoursPhone: maybe('The out-of-hours telephone number', 50),
  outOfHoursEmail: email('The out-of-hours email address'),
  version,
})

export type AuthorityContactsInput = z.infer<typeof authorityContactsInput>
