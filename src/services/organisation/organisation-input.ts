/** Input schemas for agencies, teams and users: shared by forms, the JSON API and the CLI. */
import { z } from 'zod'
import { agencyTypeIds } from '../../domain/organisation/agency-types.ts'
import { roleIds } from '../../domain/access/roles.ts'
import { passwordProblem } from '../access/passwords.ts'

const name = (what: string) =>
  z
    .string({ error: `Enter the ${what}` })
    .trim()
    .min(1, `Enter the ${what}`)
    .max(200, `The ${what} must be 200 characters or fewer`)

const version = z.coerce.number({ error: 'The form is out of date: reload the page' }).int().min(1)

/** Form checkboxes post a string for one item and an array for several. */
const stringList = z.preprocess(
  (v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]),
  z.array(z.string()),
)

const formBoolean = z.preprocess((v) => v === true || v === 'true' || v === 'yes' || v === 'on', z.boolean())

export const agencyInput = z.object({
  name: name('agency name'),
  type: z.enum(agencyTypeIds, { error: 'Select the type of agency' }),
  active: formBoolean.default(true),
})
export const agencyUpdate = agencyInput.extend({ version })

export const teamInput = z.object({
  name: name('team name'),
  agencyId: z.uuid({ error: 'Select the agency the team belongs to' }),
  active: formBoolean.default(true),
})
export const teamUpdate = teamInput.extend({ version })

const optionalTeam = z.preprocess((v) => (v === '' ? null : v), z.uuid({ error: 'Select a team' }).nullable().default(null))

/** A password a person sets: the strength rule of `passwordProblem` (seeded accounts skip it). */
export const password = z
  .string({ error: 'Enter a password' })
  .max(200, 'The password must be 200 characters or fewer')
  .superRefine((value, ctx) => {
    const problem = passwordProblem(value)
    if (problem) ctx.addIssue({ code: 'custom', message: problem })
  })

export const userInput = z.object({
  displayName: name('full name'),
  email: z
    .string({ error: 'Enter an email address' })
    .trim()
    .toLowerCase()
    .pipe(z.email({ error: 'Enter an email address in the correct format, like name@example.org' })),
  agencyId: z.uuid({ error: 'Select the agency the user works for' }),
  teamId: optionalTeam,
  roles: stringList.pipe(z.array(z.enum(roleIds, { error: 'Select a valid role' })).min(1, 'Select at least one role')),
  active: formBoolean.default(true),
  password: z.preprocess((v) => (v === '' ? undefined : v), password.optional()),
})
export const userUpdate = userInput.extend({ version })

export type AgencyInput = z.infer<typeof agencyInput>
export type TeamInput = z.infer<typeof teamInput>
export type UserInput = z.infer<typeof userInput>
