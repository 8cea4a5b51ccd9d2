import type { Command } from 'commander'
import type { z } from 'zod'
import { agencyTypeIds, type AgencyType } from '../../domain/organisation/agency-types.ts'
import { roleIds, type Role } from '../../domain/access/roles.ts'
import { UsageError } from '../errors.ts'
import { promptHidden, readStdin } from '../password-prompt.ts'

interface AddOptions {
  email: string
  name: string
  roles: string
  agency: string
  agencyType?: string
  team?: string
  partnership?: string
  passwordStdin?: boolean
  noPassword?: boolean
  password?: boolean
}

export function registerUsersCommand(program: Command): void {
  const users = program.command('users').description('manage the people who use Together')
  users
    .command('add')
    .description(
      'add a user; on an empty database this also creates the partnership, agency and team. ' +
        'Prompts for a password unless --password-stdin or --no-password is given.',
    )
    .requiredOption('--email <email>', 'email address they sign in with')
    .requiredOption('--name <name>', 'full name')
    .requiredOption('--roles <roles>', `comma-separated roles: ${roleIds.join(', ')}`)
    .requiredOption('--agency <name>', 'the agency they work for')
    .option('--agency-type <type>', `create the agency with this type if it does not exist: ${agencyTypeIds.join(', ')}`)
    .option('--team <name>', 'their team (created if the agency has no team of that name)')
    .option('--partnership <name>', 'the partnership (required on an empty database, to create it)')
    .option('--password-stdin', 'read the password from standard input')
    .option('--no-password', 'no local password: they will sign in with single sign-on')
    .action(async (options: AddOptions) => {
      const { ValidationFailed } = await import('../../services/common/context.ts')
      const { password: passwordSchema, userInput } = await import('../../services/organisation/organisation-input.ts')
      const { provisionUser } = await import('../../services/organisation/provisioning.ts')
      const { withDatabase } = await import('../database.ts')
      if (options.agencyType && !(agencyTypeIds as string[]).includes(options.agencyType)) {
        throw new UsageError(`unknown agency type "${options.agencyType}"; use one of ${agencyTypeIds.join(', ')}`)
      }
      const roles = options.roles.split(',').map((r) => r.trim()).filter(Boolean)
      const unknown = roles.filter((r) => !(roleIds as string[]).includes(r))
      if (unknown.length > 0) throw new UsageError(`unknown role "${unknown[0]}"; use one of ${roleIds.join(', ')}`)

      let password: string | undefined
      if (options.password !== false) {
        if (options.passwordStdin) password = await readStdin()
        else if (process.stdin.isTTY) {
          password = await promptHidden('Password: ')
          if ((await promptHidden('Password again: ')) !== password) throw new UsageError('the passwords do not match')
        } else {
          throw new UsageError('no terminal to ask for a password: use --password-stdin or --no-password')
        }
        const check = passwordSchema.safeParse(password)
        if (!check.success) throw new UsageError(check.error.issues[0]!.message.toLowerCase())
      }

      const parsed = userInput
        .omit({ agencyId: true, teamId: true })
        .safeParse({ displayName: options.name, email: options.email, roles, active: true, password })
      if (!parsed.success) throw new UsageError(firstMessage(parsed.error))

      await withDatabase(async (database) => {
        try {
          const result = await provisionUser(
            database.db,
            {
              agencyName: options.agency,
              ...(options.agencyType ? { agencyType: options.agencyType as AgencyType } : {}),
              ...(options.team ? { teamName: options.team } : {}),
              ...(options.partnership ? { partnershipName: options.partnership } : {}),
              user: parsed.data,
            },
            new Date(),
          )
          process.stdout.write(`Added ${parsed.data.email} (${roles.join(', ')}); created ${result.created.join(', ')}.\n`)
        } catch (err) {
          if (err instanceof ValidationFailed) throw new UsageError(Object.values(err.fieldErrors)[0]!)
          throw err
        }
      })
    })
  registerPrivilegedCommands(users)
}

/** A new password from standard input or the terminal (asked twice), checked against the rule. */
async function readNewPassword(fromStdin: boolean | undefined): Promise<string> {
  const { password: passwordSchema } = await import('../../services/organisation/organisation-input.ts')
  let password: string
  if (fromStdin) password = await readStdin()
  else if (process.stdin.isTTY) {
    password = await promptHidden('New password: ')
    if ((await promptHidden('New password again: ')) !== password) throw new UsageError('the passwords do not match')
  } else {
    throw new UsageError('no terminal to ask for a password: use --password-stdin')
  }
  const check = passwordSchema.safeParse(password)
  if (!check.success) throw new UsageError(check.error.issues[0]!.message.toLowerCase())
  return password
}

/**
 * Separation of duties: the administrator and auditor roles are given, and an administrator's or
 * auditor's password is reset, only here (services/organisation/organisation.ts, PRIVILEGED_ROLES).
 */
function registerPrivilegedCommands(users: Command): void {
  users
    .command('grant')
    .description('give roles to a user; the only way to give the administrator or auditor role')
    .requiredOption('--email <email>', 'the user’s email address')
    .requiredOption('--roles <roles>', `comma-separated roles to add: ${roleIds.join(', ')}`)
    .action(async (options: { email: string; roles: string }) => {
      const { ValidationFailed } = await import('../../services/common/context.ts')
      const { grantRoles } = await import('../../services/organisation/provisioning.ts')
      const { withDatabase } = await import('../database.ts')
      const roles = options.roles.split(',').map((r) => r.trim()).filter(Boolean)
      const unknown = roles.filter((r) => !(roleIds as string[]).includes(r))
      if (roles.length === 0 || unknown.length > 0) throw new UsageError(`unknown role "${unknown[0] ?? ''}"; use one of ${roleIds.join(', ')}`)
      await withDatabase(async (database) => {
        try {
          const result = await grantRoles(database.db, { email: options.email, roles: roles as Role[] }, new Date())
          process.stdout.write(
            result.added.length > 0 ? `Gave ${options.email.trim()} the roles ${result.added.join(', ')}.\n` : `${options.email.trim()} already has those roles.\n`,
          )
        } catch (err) {
          if (err instanceof ValidationFailed) throw new UsageError(Object.values(err.fieldErrors)[0]!)
          throw err
        }
      })
    })
  users
    .command('reset-password')
    .description('set a user’s password, unlock them and end every session of theirs; the only way for an administrator or auditor')
    .requiredOption('--email <email>', 'the user’s email address')
    .option('--password-stdin', 'read the password from standard input')
    .action(async (options: { email: string; passwordStdin?: boolean }) => {
      const { ValidationFailed } = await import('../../services/common/context.ts')
      const { resetPassword } = await import('../../services/organisation/provisioning.ts')
      const { withDatabase } = await import('../database.ts')
      const password = await readNewPassword(options.passwordStdin)
      await withDatabase(async (database) => {
        try {
          const result = await resetPassword(database.db, { email: options.email, password }, new Date())
          process.stdout.write(`Reset the password of ${options.email.trim()}; ended ${result.sessionsEnded} session(s).\n`)
        } catch (err) {
          if (err instanceof ValidationFailed) throw new UsageError(Object.values(err.fieldErrors)[0]!)
          throw err
        }
      })
    })
}

function firstMessage(error: z.ZodError): string {
  const issue = error.issues[0]!
  return `${issue.path.join('.') || 'input'}: ${issue.message}`
}
