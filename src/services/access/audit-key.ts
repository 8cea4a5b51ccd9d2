/**
 * The audit key: the secret the audit log's MACs are made with, kept outside the database so that
 * write access to the database is not enough to rebuild the log consistently (docs/security.md,
 * "The audit key").
 *
 * From `TOGETHER_AUDIT_KEY`, or the file named by `TOGETHER_AUDIT_KEY_FILE`: one key, or several
 * separated by spaces, commas or new lines, the first signing new entries and the others kept to
 * verify entries signed before a rotation. Production refuses to start without one (config.ts).
 * In development, a key is generated once into `audit.key` in the data directory, beside the
 * database, not in it; tests run without a key unless they set one.
 */
import { randomBytes } from 'node:crypto'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { auditKeyring, AUDIT_KEY_MIN_LENGTH, type AuditKeyring } from '../../domain/access/audit-chain.ts'

export interface AuditKeySettings {
  env: 'development' | 'production' | 'test'
  /** TOGETHER_AUDIT_KEY */
  keys: string | undefined
  /** TOGETHER_AUDIT_KEY_FILE */
  file: string | undefined
  /** The data directory, where development keeps its generated key. */
  dataDir: string
}

export class AuditKeyError extends Error {
  override name = 'AuditKeyError'
}

/** The development key's file name in the data directory. */
export const DEV_KEY_FILE = 'audit.key'

/** The configured keyring; null in tests without a key. Throws AuditKeyError for a bad setting. */
export function loadAuditKeyring(settings: AuditKeySettings): { keyring: AuditKeyring | null; source: string } {
  if (settings.keys !== undefined && settings.file !== undefined) {
    throw new AuditKeyError('set TOGETHER_AUDIT_KEY or TOGETHER_AUDIT_KEY_FILE, not both')
  }
  if (settings.keys !== undefined) return { keyring: parse(settings.keys, 'TOGETHER_AUDIT_KEY'), source: 'TOGETHER_AUDIT_KEY' }
  if (settings.file !== undefined) return { keyring: parse(readKeyFile(settings.file), `the file ${settings.file}`), source: settings.file }
  if (settings.env === 'production') throw new AuditKeyError('TOGETHER_AUDIT_KEY or TOGETHER_AUDIT_KEY_FILE must be set in production')
  if (settings.env === 'test') return { keyring: null, source: 'none' }
  const path = join(settings.dataDir, DEV_KEY_FILE)
  mkdirSync(settings.dataDir, { recursive: true })
  try {
    writeFileSync(path, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' })
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
  }
  return { keyring: parse(readKeyFile(path), `the file ${path}`), source: path }
}

function readKeyFile(path: string): string {
  try {
    return readFileSync(path, 'utf8')
  } catch (err) {
    throw new AuditKeyError(`cannot read the audit key file ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'})`)
  }
}

function parse(text: string, where: string): AuditKeyring {
  const keys = text.split(/[\s,]+/).filter(Boolean)
  if (keys.length === 0) throw new AuditKeyError(`${where} holds no audit key`)
  if (keys.some((k) => k.length < AUDIT_KEY_MIN_LENGTH)) {
    throw new AuditKeyError(`${where}: every audit key has at least ${AUDIT_KEY_MIN_LENGTH} characters (e.g. openssl rand -hex 32)`)
  }
  return auditKeyring(keys)
}
