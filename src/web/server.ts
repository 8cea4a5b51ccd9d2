/**
 * Starting Together: open the database, apply migrations, load the demo partnership on a fresh
 * embedded database, and serve the web application.
 */
import type { Server } from 'node:http'
import type { Logger } from 'pino'
import type { Config } from '../config.ts'
import { openDatabase, type Database } from '../db/connection.ts'
import { openReplicas } from '../db/replicas.ts'
import { runMigrations } from '../db/migrate.ts'
import { DEMO_USERS, isEmpty, seedDemo } from '../services/demo/demo-seed.ts'
import { hasDemoPartnership, sessionSecret } from '../services/access/instance.ts'
import { loadAuditKeyring } from '../services/access/audit-key.ts'
import { useAuditKeys } from '../services/access/audit.ts'
import { createApp } from './app.ts'
import { ensureStylesheet } from './assets.ts'
import { createOidcSignIn } from './access/auth/oidc.ts'
import { emailProviderFor } from '../services/multi-agency/email/provider.ts'
import { scheduleJobs } from '../services/common/jobs.ts'
import { scannerFor } from '../services/records/clamd.ts'
import { objectStoreFor } from '../services/records/document-store.ts'
import { londonDate } from '../domain/timescales/calendar/london-time.ts'

export interface Running {
  server: Server
  database: Database
  url: string
  /** The database holds the fictional demo partnership. */
  isDemo: boolean
  close(): Promise<void>
}

export async function startServer(config: Config, logger: Logger, now: () => Date = () => new Date()): Promise<Running> {
  // Before anything is written to the audit log, so every entry of this process is signed.
  const auditKey = loadAuditKeyring(config.auditKey)
  useAuditKeys(auditKey.keyring)
  if (auditKey.keyring) logger.info({ auditKeyId: auditKey.keyring.signing.id }, 'audit entries are signed with the audit key')
  let database = await openDatabase(config.database)
  let replicas: Awaited<ReturnType<typeof openReplicas>> = null
  try {
    await runMigrations(database)
    // The demo loads in one transaction: a crash part-way leaves the database empty, and the next
    // start loads it again.
    if (config.demo && (await isEmpty(database.db))) {
      await seedDemo(database.db, config.demoPassword, londonDate(now()), now())
      logger.info('loaded the fictional demo partnership')
    }
    if (database.target.kind === 'postgres') {
      // Migrations and the demo load may take long; requests get the statement, lock and
      // connection time-outs, so that they fail rather than hang when the database does.
      const limited = await openDatabase(config.database, { timeouts: config.databaseTimeouts })
      await database.close()
      database = limited
    }
    // Read replicas, checked every second from now on (none without DATABASE_REPLICA_URL).
    replicas = await openReplicas(database, config.replicas, config.databaseTimeouts)
    await ensureStylesheet()
    const isDemo = await hasDemoPartnership(database.db)
    const app = createApp({
      database,
      replicas,
      config,
      logger,
      now,
      oidc: config.oidc ? createOidcSignIn(config.oidc) : null,
      isDemo,
      sessionSecret: await sessionSecret(database.db, config.sessionSecret),
    })
    const server = await new Promise<Server>((resolve, reject) => {
      const s = app.listen(config.port, config.host, () => resolve(s))
      s.once('error', reject)
    })
    const address = server.address()
    const port = typeof address === 'object' && address ? address.port : config.port
    const url = `http://${['0.0.0.0', '127.0.0.1', '::', '::1'].includes(config.host) ? 'localhost' : config.host}:${port}`
    logger.info({ url, database: database.describe(), ...(replicas && { replicas: replicas.states().map((r) => r.replica) }) }, 'Together is listening')
    // Reminders, escalations and e-mail: one sweep at a time across processes (an advisory lock).
    const jobs =
      config.jobsIntervalSeconds > 0
        ? scheduleJobs(database.db, {
            intervalSeconds: config.jobsIntervalSeconds,
            now,
            emailProvider: emailProviderFor(config.email, logger),
            baseUrl: config.baseUrl,
            scanner: scannerFor(config.clamd),
            objectStore: objectStoreFor(config.objectStore),
            logger,
          })
        : null
    return {
      server,
      database,
      url,
      isDemo,
      close: async () => {
        await jobs?.stop()
        server.closeAllConnections()
        await new Promise<void>((resolve) => server.close(() => resolve()))
        await replicas?.close()
        await database.close()
      },
    }
  } catch (err) {
    await replicas?.close()
    await database.close()
    throw err
  }
}

/** What `together serve` prints for people, after the server is up. */
export function signInHelp(url: string, demo: boolean, password: string): string {
  const lines = [`Together is running at ${url}`]
  if (demo) {
    lines.push('', 'Demo data — fictional. Sign in with any of these accounts, password: ' + password)
    for (const u of DEMO_USERS) lines.push(`  ${u.email.padEnd(42)} ${u.displayName} — ${u.role}`)
  } else {
    lines.push('Add a user with: npx together users add --help')
  }
  return lines.join('\n')
}
