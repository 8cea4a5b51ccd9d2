import { z } from 'zod'
import { version } from '../journey/front-door-input.ts'

export const REQUEST_URGENCY = [
  { code: 'red', label: 'Red: the child may be at risk now' },
  { code: 'amber', label: 'Amber: needed for a decision soon' },
  { code: 'green', label: 'Green: routine' },
] as const

const list = (v: unknown) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v])

export const informationRequestInput = z.object({
  toAgencyId: z.uuid({ error: 'Select the agency to ask' }),
  personIds: z.preprocess(list, z.array(z.uuid({ error: 'Select the people to ask about' })).min(1, 'Select at least one person to ask about')),
  question: z.string({ error: 'Enter what you want to know' }).trim().min(1, 'Enter what you want to know').max(5_000, 'The question must be 5000 characters or fewer'),
  urgency: z.enum(['red', 'amber', 'green'], { error: 'Select how urgent it is' }),
})

export const informationAnswerInput = z
  .object({
    held: z.enum(['yes', 'no'], { error: 'Select whether your agency holds information' }).transform((v) => v === 'yes'),
    information: z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), z.string().trim().max(20_000, 'The answer must be 20000 characters or fewer').optional()),
    version,
  })
  .superRefine((a, issues) => {
    if (a.held && !a.information) issues.addIssue({ code: 'custom', path: ['information'], message: 'Enter the information your agency holds' })
  })

const whole = (what: string, max: number) => z.coerce.number({ error: `Enter ${what}` }).int(`Enter ${what} as a whole number`).min(1, `Enter ${what}: at least 1`).max(max, `Enter ${what}: at most ${max}`)

export const requestDeadlinesInput = z.object({
  redHours: whole('the hours for red requests', 72),
  amberWorkingDays: whole('the working days for amber requests', 20),
  greenWorkingDays: whole('the working days for green requests', 30),
})

export type InformationRequestInput = z.infer<typeof informationRequestInput>
export type InformationAnswerInput = z.infer<typeof informationAnswerInput>
export type RequestDeadlines = z.infer<typeof requestDeadlinesInput>
