import { z } from 'zod'
import { isIsoDate } from '../../domain/timescales/calendar/iso-date.ts'

const day = (what: string) => z.string({ error: `Enter the ${what} date` }).refine(isIsoDate, { error: `The ${what} date must be a real date` })
const dates = { from: day('start'), to: day('end') }
const inOrder = (v: { from: string; to: string }) => v.from <= v.to
const outOfOrder = { path: ['to'], error: 'The end date must be on or after the start date' }

/** The period of an Annex A return (shared by the page, the JSON API and the command). */
export const annexAPeriod = z.object(dates).refine(inOrder, outOfOrder)

/** The period and the file format of an Annex A download. */
export const annexAInput = z.object({ ...dates, format: z.enum(['xlsx', 'csv']).default('xlsx') }).refine(inOrder, outOfOrder)

export type AnnexAInput = z.infer<typeof annexAInput>
