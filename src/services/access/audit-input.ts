import { z } from 'zod'
import { isIsoDate } from '../../domain/timescales/calendar/iso-date.ts'

const optionalDay = (what: string) =>
  z.preprocess((v) => (v === '' ? undefined : v), z.string().refine(isIsoDate, { error: `The ${what} date must be a real date` }).optional())

/** The auditor's filters on a person's access history: a date range (both days included), one user, a page. */
export const accessHistoryFilter = z
  .object({
    from: optionalDay('from'),
    to: optionalDay('to'),
    userId: z.preprocess((v) => (v === '' ? undefined : v), z.uuid({ error: 'Select a user from the list' }).optional()),
    page: z.coerce.number({ error: 'The page must be a number' }).int('The page must be a whole number').min(1, 'The page must be 1 or more').optional(),
  })
  .refine((f) => !f.from || !f.to || f.from <= f.to, { path: ['to'], error: 'The “to” date must be on or after the “from” date' })

export type AccessHistoryFilter = z.infer<typeof accessHistoryFilter>
