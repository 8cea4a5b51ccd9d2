import type { Logger } from 'pino'
import type { Config } from '../config.ts'
import type { Database } from '../db/connection.ts'
import type { OidcSignIn } from './access/auth/oidc.ts'

/** Everything the web layer needs from outside, passed in once (no hidden globals). */
export interface AppDeps {
  database: Database
  config: Config
  logger: Logger
  now: () => Date
  /** Council single sign-on, when configured. */
  oidc: OidcSignIn | null
  /** The demo partnership's banner is shown when true. */
  isDemo: boolean
  sessionSecret: string
}
