import type { Logger } from 'pino'
import type { Config } from '../config.ts'
import type { Database } from '../db/connection.ts'
import type { ReplicaSet } from '../db/replicas.ts'
import type { OidcSignIn } from './access/auth/oidc.ts'

/** Everything the web layer needs from outside, passed in once (no hidden globals). */
export interface AppDeps {
  database: Database
  /** PostgreSQL read replicas (DATABASE_REPLICA_URL), when configured. */
  replicas?: ReplicaSet | null
  config: Config
  logger: Logger
  now: () => Date
  /** Council single sign-on, when configured. */
  oidc: OidcSignIn | null
  /** The demo partnership's banner is shown when true. */
  isDemo: boolean
  sessionSecret: string
}
