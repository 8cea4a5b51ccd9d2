/**
 * Configuration, read once from the environment. Every variable is listed in the README.
 */
import { resolve } from 'node:path'
import { z } from 'zod'
import type { DatabaseTarget, DatabaseTimeouts } from './db/connection.ts'
import type { ReplicaSettings } from './db/replicas.ts'
import type { AuditKeySettings } from './services/access/audit-key.ts'
import type { ClamdTarget } from './services/records/clamd.ts'
import type { ObjectStoreSettings } from './services/records/document-store.ts'

const flag = z
  .enum(['0', '1', 'true', 'false', 'yes', 'no'])
  .transform((v) => v === '1' || v === 'true' || v === 'yes')

/** TOGETHER_DATABASE_POOLING: how PostgreSQL connections are pooled (db/connection.ts's DatabasePooling). */
const poolingSchema = z
  .enum(['session', 'transaction'], { error: 'TOGETHER_DATABASE_POOLING must be session or transaction' })
  .default('session')

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  DATABASE_URL: z.string().url().optional(),
  TOGETHER_DATABASE_POOLING: poolingSchema,
  DATABASE_REPLICA_URL: z.string().optional(),
  TOGETHER_REPLICA_MAX_LAG_SECONDS: z.coerce.number().min(0).default(30),
  TOGETHER_DATA_DIR: z.string().default('./data'),
  TOGETHER_DEMO: flag.optional(),
  TOGETHER_DEMO_PASSWORD: z.string().min(8).default('demo-password'),
  TOGETHER_SESSION_SECRET: z.string().min(32).optional(),
  TOGETHER_AUDIT_KEY: z.string().min(32).optional(),
  TOGETHER_AUDIT_KEY_FILE: z.string().min(1).optional(),
  TOGETHER_SESSION_IDLE_MINUTES: z.coerce.number().int().min(2).max(24 * 60).default(30),
  TOGETHER_SESSION_MAX_HOURS: z.coerce.number().min(0.05).max(7 * 24).default(12),
  TOGETHER_BASE_URL: z.string().url().optional(),
  TOGETHER_SECURE_COOKIES: flag.optional(),
  TOGETHER_TRUST_PROXY: z.string().optional(),
  TOGETHER_SIGN_IN_MAX_FAILURES: z.coerce.number().int().min(1).default(5),
  TOGETHER_SIGN_IN_LOCKOUT_MINUTES: z.coerce.number().int().min(1).default(15),
  TOGETHER_SIGN_IN_ADDRESS_MAX_FAILURES: z.coerce.number().int().min(1).default(50),
  TOGETHER_OIDC_ISSUER: z.string().url().optional(),
  TOGETHER_OIDC_CLIENT_ID: z.string().optional(),
  TOGETHER_OIDC_CLIENT_SECRET: z.string().optional(),
  TOGETHER_OIDC_LABEL: z.string().default('Sign in with your council account'),
  TOGETHER_OIDC_ALLOW_HTTP: flag.default(false),
  TOGETHER_NOTIFY_API_KEY: z.string().min(1).optional(),
  TOGETHER_NOTIFY_TEMPLATE_ID: z.string().uuid().optional(),
  TOGETHER_NOTIFY_LETTERS: z.enum(['on', 'off'], { error: 'TOGETHER_NOTIFY_LETTERS must be on or off' }).default('on'),
  TOGETHER_JOBS_INTERVAL_SECONDS: z.coerce.number().int().min(0).max(24 * 3600).default(60),
  TOGETHER_DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).default(30_000),
  TOGETHER_DB_LOCK_TIMEOUT_MS: z.coerce.number().int().min(0).default(10_000),
  TOGETHER_DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: z.coerce.number().int().min(0).default(60_000),
  TOGETHER_DB_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(0).default(10_000),
  TOGETHER_MAX_CONCURRENT_REQUESTS: z.coerce.number().int().min(0).default(32),
  TOGETHER_WORKERS: z.coerce.number().int().min(1).max(64).default(1),
  TOGETHER_METRICS_TOKEN: z.string().min(32).optional(),
  TOGETHER_CLAMD_SOCKET: z.string().min(1).optional(),
  TOGETHER_CLAMD_HOST: z.string().min(1).optional(),
  TOGETHER_CLAMD_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  TOGETHER_CLAMD_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  TOGETHER_S3_BUCKET: z.string().min(3).optional(),
  TOGETHER_S3_ENDPOINT: z.string().url().optional(),
  TOGETHER_S3_REGION: z.string().min(1).optional(),
  TOGETHER_S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  TOGETHER_S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  TOGETHER_S3_FORCE_PATH_STYLE: flag.default(false),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
})

export interface OidcConfig {
  issuer: string
  clientId: string
  clientSecret: string | undefined
  label: string
  allowHttp: boolean
}

export interface Config {
  env: 'development' | 'production' | 'test'
  port: number
  host: string
  database: DatabaseTarget
  /** PostgreSQL read replicas for the reads that tolerate a little lag (db/replicas.ts); none by default. */
  replicas: ReplicaSettings
  /** Load the demo partnership into an empty database. */
  demo: boolean
  demoPassword: string
  sessionSecret: string | undefined
  /** Where the audit log's MAC key comes from (services/access/audit-key.ts). */
  auditKey: AuditKeySettings
  sessionIdleMinutes: number
  /** A session ends this long after sign-in, however active it is. */
  sessionMaxHours: number
  baseUrl: string
  secureCookies: boolean
  trustProxy: string | undefined
  signInMaxFailures: number
  signInLockoutMinutes: number
  /** Failed sign-ins from one network address within the lock-out time before it is refused. */
  signInAddressMaxFailures: number
  oidc: OidcConfig | null
  logLevel: string
  /** E-mail through GOV.UK Notify when both are set; otherwise e-mails are only logged. */
  email: { notifyApiKey: string | undefined; notifyTemplateId: string | undefined }
  /** Letters posted through GOV.UK Notify's letter API (the API key) unless turned off; otherwise the local double. */
  letters: { notifyApiKey: string | undefined }
  /** How often the server runs its periodic jobs (reminders, escalations, e-mail); 0 = never. */
  jobsIntervalSeconds: number
  /** The server's limits on PostgreSQL sessions (not applied by the CLI's batch commands). */
  databaseTimeouts: DatabaseTimeouts
  /** Requests the server works on at once; the rest wait their turn (web/common/middleware/admission.ts); 0 = no limit. */
  maxConcurrentRequests: number
  /** Server processes on one port (node:cluster; PostgreSQL only): 1 = this process serves. */
  workers: number
  /** Turns `/metrics` on, for a scraper sending it as a bearer token; off (404) when unset. */
  metricsToken: string | undefined
  /** ClamAV's clamd, which scans every uploaded document, when configured; null: documents are kept not scanned. */
  clamd: ClamdTarget | null
  /** The S3-compatible object store new document versions go to, when TOGETHER_S3_BUCKET is set; null: the database. */
  objectStore: ObjectStoreSettings | null
}

export class ConfigError extends Error {
  override name = 'ConfigError'
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    throw new ConfigError(`environment variable ${issue.path.join('.')}: ${issue.message}`)
  }
  const e = parsed.data
  const database: DatabaseTarget = e.DATABASE_URL
    ? postgresTarget(e.DATABASE_URL, env)
    : { kind: 'pglite', dataDir: resolve(e.TOGETHER_DATA_DIR) }
  const baseUrl = e.TOGETHER_BASE_URL ?? `http://localhost:${e.PORT}`
  if (e.TOGETHER_OIDC_ISSUER && !e.TOGETHER_OIDC_CLIENT_ID) {
    throw new ConfigError('TOGETHER_OIDC_ISSUER is set, so TOGETHER_OIDC_CLIENT_ID must be set too')
  }
  if (e.TOGETHER_NOTIFY_API_KEY && !e.TOGETHER_NOTIFY_TEMPLATE_ID) {
    throw new ConfigError('TOGETHER_NOTIFY_API_KEY is set, so TOGETHER_NOTIFY_TEMPLATE_ID must be set too')
  }
  if (e.NODE_ENV === 'production' && !e.TOGETHER_SESSION_SECRET) {
    throw new ConfigError('TOGETHER_SESSION_SECRET must be set in production (at least 32 characters)')
  }
  if (e.NODE_ENV === 'production' && !e.TOGETHER_AUDIT_KEY && !e.TOGETHER_AUDIT_KEY_FILE) {
    throw new ConfigError('TOGETHER_AUDIT_KEY or TOGETHER_AUDIT_KEY_FILE must be set in production (a key of at least 32 characters, kept outside the database)')
  }
  if (e.TOGETHER_CLAMD_SOCKET && e.TOGETHER_CLAMD_HOST) {
    throw new ConfigError('Set TOGETHER_CLAMD_SOCKET or TOGETHER_CLAMD_HOST (with TOGETHER_CLAMD_PORT), not both')
  }
  if (e.TOGETHER_CLAMD_HOST && !e.TOGETHER_CLAMD_PORT) {
    throw new ConfigError("TOGETHER_CLAMD_HOST is set, so TOGETHER_CLAMD_PORT must be set too (clamd's TCPSocket, often 3310)")
  }
  if (e.TOGETHER_CLAMD_PORT && !e.TOGETHER_CLAMD_HOST) {
    throw new ConfigError('TOGETHER_CLAMD_PORT is set, so TOGETHER_CLAMD_HOST must be set too')
  }
  const clamdTimeoutMs = e.TOGETHER_CLAMD_TIMEOUT_SECONDS * 1000
  const objectStore = objectStoreOf(env, e)
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    database,
    replicas: { urls: replicaUrls(e.DATABASE_REPLICA_URL, database), maxLagSeconds: e.TOGETHER_REPLICA_MAX_LAG_SECONDS },
    // Demo data only ever loads by default on the embedded database.
    demo: e.TOGETHER_DEMO ?? database.kind === 'pglite',
    demoPassword: e.TOGETHER_DEMO_PASSWORD,
    sessionSecret: e.TOGETHER_SESSION_SECRET,
    auditKey: { env: e.NODE_ENV, keys: e.TOGETHER_AUDIT_KEY, file: e.TOGETHER_AUDIT_KEY_FILE, dataDir: resolve(e.TOGETHER_DATA_DIR) },
    sessionIdleMinutes: e.TOGETHER_SESSION_IDLE_MINUTES,
    sessionMaxHours: e.TOGETHER_SESSION_MAX_HOURS,
    baseUrl,
    secureCookies: e.TOGETHER_SECURE_COOKIES ?? baseUrl.startsWith('https:'),
    trustProxy: e.TOGETHER_TRUST_PROXY,
    signInMaxFailures: e.TOGETHER_SIGN_IN_MAX_FAILURES,
    signInLockoutMinutes: e.TOGETHER_SIGN_IN_LOCKOUT_MINUTES,
    signInAddressMaxFailures: e.TOGETHER_SIGN_IN_ADDRESS_MAX_FAILURES,
    oidc: e.TOGETHER_OIDC_ISSUER
      ? {
          issuer: e.TOGETHER_OIDC_ISSUER,
          clientId: e.TOGETHER_OIDC_CLIENT_ID!,
          clientSecret: e.TOGETHER_OIDC_CLIENT_SECRET,
          label: e.TOGETHER_OIDC_LABEL,
          allowHttp: e.TOGETHER_OIDC_ALLOW_HTTP,
        }
      : null,
    logLevel: e.LOG_LEVEL,
    email: { notifyApiKey: e.TOGETHER_NOTIFY_API_KEY, notifyTemplateId: e.TOGETHER_NOTIFY_TEMPLATE_ID },
    letters: { notifyApiKey: e.TOGETHER_NOTIFY_LETTERS === 'on' ? e.TOGETHER_NOTIFY_API_KEY : undefined },
    jobsIntervalSeconds: e.TOGETHER_JOBS_INTERVAL_SECONDS,
    databaseTimeouts: {
      statementMs: e.TOGETHER_DB_STATEMENT_TIMEOUT_MS,
      lockMs: e.TOGETHER_DB_LOCK_TIMEOUT_MS,
      idleInTransactionMs: e.TOGETHER_DB_IDLE_IN_TRANSACTION_TIMEOUT_MS,
      connectMs: e.TOGETHER_DB_CONNECT_TIMEOUT_MS,
    },
    maxConcurrentRequests: e.TOGETHER_MAX_CONCURRENT_REQUESTS,
    workers: e.TOGETHER_WORKERS,
    metricsToken: e.TOGETHER_METRICS_TOKEN,
    clamd: e.TOGETHER_CLAMD_SOCKET
      ? { socket: resolve(e.TOGETHER_CLAMD_SOCKET), timeoutMs: clamdTimeoutMs }
      : e.TOGETHER_CLAMD_HOST
        ? { host: e.TOGETHER_CLAMD_HOST, port: e.TOGETHER_CLAMD_PORT!, timeoutMs: clamdTimeoutMs }
        : null,
    objectStore,
  }
}

/**
 * The PostgreSQL database at `url`, pooled as TOGETHER_DATABASE_POOLING says: for what opens a
 * database of its own by URL (the tests' throwaway databases), as the server opens DATABASE_URL's.
 */
export function postgresTarget(url: string, env: NodeJS.ProcessEnv = process.env): DatabaseTarget {
  const pooling = poolingSchema.safeParse(env.TOGETHER_DATABASE_POOLING)
  if (!pooling.success) throw new ConfigError(pooling.error.issues[0]!.message)
  return { kind: 'postgres', url, pooling: pooling.data }
}

/** DATABASE_REPLICA_URL: one or more PostgreSQL URLs, comma-separated, beside DATABASE_URL's primary. */
function replicaUrls(value: string | undefined, primary: DatabaseTarget): string[] {
  const urls = (value ?? '').split(',').map((u) => u.trim()).filter(Boolean)
  if (urls.length > 0 && primary.kind !== 'postgres') throw new ConfigError('DATABASE_REPLICA_URL is set, so DATABASE_URL must be set too (replicas follow a PostgreSQL primary)')
  for (const url of urls) {
    if (!z.string().url().safeParse(url).success || !/^postgres(ql)?:$/.test(new URL(url).protocol)) {
      throw new ConfigError('DATABASE_REPLICA_URL: each replica must be a postgres:// URL (several are separated by commas)')
    }
  }
  return urls
}

/** TOGETHER_S3_*: all or nothing, with the bucket turning it on. */
function objectStoreOf(env: NodeJS.ProcessEnv, e: z.infer<typeof envSchema>): ObjectStoreSettings | null {
  if (!e.TOGETHER_S3_BUCKET) {
    const stray = Object.keys(env).filter((k) => k.startsWith('TOGETHER_S3_') && env[k] !== undefined && env[k] !== '')
    if (stray.length > 0) throw new ConfigError(`${stray.sort().join(', ')} ${stray.length === 1 ? 'is' : 'are'} set, so TOGETHER_S3_BUCKET must be set too (it turns the object store on)`)
    return null
  }
  if (!e.TOGETHER_S3_REGION) throw new ConfigError('TOGETHER_S3_BUCKET is set, so TOGETHER_S3_REGION must be set too (e.g. eu-west-2; any name the store accepts for an S3-compatible one)')
  if (Boolean(e.TOGETHER_S3_ACCESS_KEY_ID) !== Boolean(e.TOGETHER_S3_SECRET_ACCESS_KEY)) {
    throw new ConfigError('Set both TOGETHER_S3_ACCESS_KEY_ID and TOGETHER_S3_SECRET_ACCESS_KEY, or neither (to use the default credentials, e.g. an instance role)')
  }
  return {
    bucket: e.TOGETHER_S3_BUCKET,
    region: e.TOGETHER_S3_REGION,
    endpoint: e.TOGETHER_S3_ENDPOINT,
    forcePathStyle: e.TOGETHER_S3_FORCE_PATH_STYLE,
    credentials: e.TOGETHER_S3_ACCESS_KEY_ID ? { accessKeyId: e.TOGETHER_S3_ACCESS_KEY_ID, secretAccessKey: e.TOGETHER_S3_SECRET_ACCESS_KEY! } : undefined,
  }
}
