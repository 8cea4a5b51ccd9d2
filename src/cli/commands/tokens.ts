import type { Command } from 'commander'
import { UsageError } from '../errors.ts'

export function registerTokensCommand(program: Command): void {
  const tokens = program.command('tokens').description('API tokens for clients of the JSON API')
  tokens
    .command('create')
    .description('make a token that acts as a user; it is printed once and cannot be shown again')
    .requiredOption('--user <email>', 'the user the token acts as')
    .requiredOption('--name <name>', 'what the token is for, e.g. "ED clinical system"')
    .option('--expires <date>', 'last day the token works (YYYY-MM-DD); by default it does not expire')
    .action(async (options: { user: string; name: string; expires?: string }) => {
      const expiresAt = options.expires ? endOfDay(options.expires) : null
      const { createApiToken, TokenError } = await import('../../services/access/api-tokens.ts')
      const { withDatabase } = await import('../database.ts')
      await withDatabase(async (database) => {
        try {
          const created = await createApiToken(database.db, { email: options.user, name: options.name, expiresAt, now: new Date() })
          process.stdout.write(`${created.token}\n`)
          process.stderr.write(`Token ${created.id} made for ${options.user}. Keep it secret: it will not be shown again.\n`)
        } catch (err) {
          if (err instanceof TokenError) throw new UsageError(err.message)
          throw err
        }
      })
    })
  tokens
    .command('list')
    .description('list tokens (never the tokens themselves)')
    .action(async () => {
      const { listApiTokens } = await import('../../services/access/api-tokens.ts')
      const { withDatabase } = await import('../database.ts')
      await withDatabase(async (database) => {
        for (const t of await listApiTokens(database.db)) process.stdout.write(`${JSON.stringify(t)}\n`)
      })
    })
  tokens
    .command('revoke <id>')
    .description('stop a token working, at once')
    .action(async (id: string) => {
      if (!/^[0-9a-f-]{36}$/i.test(id)) throw new UsageError(`Not a token id: ${id}`)
      const { revokeApiToken } = await import('../../services/access/api-tokens.ts')
      const { withDatabase } = await import('../database.ts')
      await withDatabase(async (database) => {
        const done = await revokeApiToken(database.db, id, new Date())
        if (!done) throw new UsageError(`No active token with id ${id}`)
        process.stdout.write(`Token ${id} revoked.\n`)
      })
    })
}

function endOfDay(date: string): Date {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(date))) {
    throw new UsageError(`--expires must be a date like 2027-03-31, not ${date}`)
  }
  return new Date(`${date}T23:59:59.999Z`)
}
