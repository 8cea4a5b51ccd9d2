// A PostgreSQL primary with a streaming replica of its own, started from PostgreSQL's server programs
// (initdb, pg_ctl, pg_basebackup -R) as the postgres user on spare ports: the system PostgreSQL allows
// no replication connections. Used by test/scale/replicas.test.ts and by the journey benchmark with
// --replica (bench/journey.ts). As a command, it starts one that outlives it (to seed with the real
// `together seed` and measure again with journey.ts --reuse) and stops it:
//   node --import tsx bench/pg-cluster.ts start DIR [--replica-delay 2s]   (prints the two URLs as JSON)
//   node --import tsx bench/pg-cluster.ts stop DIR                         (stops both, removes DIR)
import { spawnSync } from 'node:child_process'
import { appendFileSync, chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { freePort } from './server-harness.ts'

const BIN_DIRS = ['/usr/lib/postgresql/17/bin', '/usr/lib/postgresql/16/bin', '/usr/lib/postgresql/15/bin', '/usr/local/bin', '/usr/bin']
/** The directory of PostgreSQL's server programs, if they are installed. */
export const postgresBin = BIN_DIRS.find((d) => ['initdb', 'pg_ctl', 'pg_basebackup', 'postgres'].every((p) => existsSync(join(d, p))))
const asRoot = process.getuid?.() === 0

/** Why a cluster cannot be started here, or false when it can. */
export function clusterUnavailable(): string | false {
  if (!postgresBin) return "needs PostgreSQL's server programs (initdb, pg_ctl, pg_basebackup; Debian: postgresql)"
  if (asRoot && spawnSync('id', ['postgres']).status !== 0) return 'needs the postgres user to run a cluster as (running as root)'
  return false
}

/** Runs one of PostgreSQL's programs as the postgres user (initdb refuses root). */
export function pgProgram(name: string, args: string[]): void {
  if (!postgresBin) throw new Error(clusterUnavailable() || 'no PostgreSQL server programs')
  const [cmd, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', join(postgresBin, name), ...args]] : [join(postgresBin, name), args]
  const r = spawnSync(cmd, argv, { encoding: 'utf8', timeout: 600_000 })
  if (r.status !== 0) throw new Error(`${name} ${args.join(' ')} failed (${r.status}): ${r.stderr}`)
}

export interface ClusterOptions {
  /** The directory the two data directories and logs go in (made if missing); a new temporary one by default. */
  dir?: string
  /** The replica applies what it receives this late (recovery_min_apply_delay), e.g. '2s'; none by default. */
  replicaDelay?: string
  /** More postgresql.conf lines for the primary (the replica copies them). */
  settings?: string[]
}

export interface Cluster {
  dir: string
  primaryPort: number
  replicaPort: number
  /** postgres://postgres@127.0.0.1:<port>/<database> of either server (trust authentication). */
  primaryUrl(database?: string): string
  replicaUrl(database?: string): string
  startReplica(): void
  /** Stops the replica at once (-m immediate), as a crash would. */
  stopReplica(): void
  /** Stops both servers and removes the directory. */
  stop(): void
}

const urlOf = (port: number, database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`

function clusterOf(dir: string, primaryPort: number, replicaPort: number): Cluster {
  const primaryDir = join(dir, 'primary')
  const replicaDir = join(dir, 'replica')
  const stopServer = (d: string) => {
    if (!existsSync(join(d, 'postmaster.pid'))) return
    try {
      pgProgram('pg_ctl', ['-D', d, '-m', 'immediate', '-w', 'stop'])
    } catch {
      // already stopped
    }
  }
  return {
    dir,
    primaryPort,
    replicaPort,
    primaryUrl: (database) => urlOf(primaryPort, database),
    replicaUrl: (database) => urlOf(replicaPort, database),
    startReplica: () => pgProgram('pg_ctl', ['-D', replicaDir, '-l', join(dir, 'replica.log'), '-w', 'start']),
    stopReplica: () => pgProgram('pg_ctl', ['-D', replicaDir, '-m', 'immediate', '-w', 'stop']),
    stop() {
      for (const d of [replicaDir, primaryDir]) stopServer(d)
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/**
 * Starts a primary (initdb, trust authentication on 127.0.0.1, fsync off: a throwaway) and a
 * replica taken from it while it is still empty (pg_basebackup -R), so all that follows reaches
 * the replica by streaming.
 */
export async function startCluster(options: ClusterOptions = {}): Promise<Cluster> {
  const unavailable = clusterUnavailable()
  if (unavailable) throw new Error(unavailable)
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'together-cluster-'))
  mkdirSync(dir, { recursive: true })
  if (asRoot) spawnSync('chown', ['postgres', dir])
  chmodSync(dir, 0o700)
  const [primaryPort, replicaPort] = [await freePort(), await freePort()]
  const cluster = clusterOf(dir, primaryPort, replicaPort)
  const primaryDir = join(dir, 'primary')
  const replicaDir = join(dir, 'replica')
  try {
    pgProgram('initdb', ['-D', primaryDir, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8'])
    writeFileSync(join(primaryDir, 'pg_hba.conf'), 'local all all trust\nhost all all 127.0.0.1/32 trust\nhost replication all 127.0.0.1/32 trust\n')
    const settings = [`listen_addresses = '127.0.0.1'`, `port = ${primaryPort}`, `unix_socket_directories = '${dir}'`, 'fsync = off', ...(options.settings ?? [])]
    appendFileSync(join(primaryDir, 'postgresql.conf'), `\n${settings.join('\n')}\n`)
    pgProgram('pg_ctl', ['-D', primaryDir, '-l', join(dir, 'primary.log'), '-w', 'start'])
    pgProgram('pg_basebackup', ['-R', '-X', 'stream', '-D', replicaDir, '-h', '127.0.0.1', '-p', String(primaryPort), '-U', 'postgres'])
    const replicaSettings = [`port = ${replicaPort}`, ...(options.replicaDelay ? [`recovery_min_apply_delay = '${options.replicaDelay}'`] : [])]
    appendFileSync(join(replicaDir, 'postgresql.auto.conf'), `${replicaSettings.join('\n')}\n`)
    cluster.startReplica()
  } catch (err) {
    cluster.stop()
    throw err
  }
  writeFileSync(join(dir, 'ports.json'), JSON.stringify({ primaryPort, replicaPort }))
  return cluster
}

/** A cluster started earlier (by the command's `start`) in `dir`. */
export function existingCluster(dir: string): Cluster {
  const { primaryPort, replicaPort } = JSON.parse(readFileSync(join(dir, 'ports.json'), 'utf8')) as { primaryPort: number; replicaPort: number }
  return clusterOf(dir, primaryPort, replicaPort)
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [command, dir, ...rest] = process.argv.slice(2)
  if (command === 'start' && dir) {
    const delay = rest.indexOf('--replica-delay')
    const cluster = await startCluster({ dir, replicaDelay: delay >= 0 ? rest[delay + 1] : undefined })
    process.stdout.write(`${JSON.stringify({ dir, primary: cluster.primaryUrl(), replica: cluster.replicaUrl() })}\n`)
  } else if (command === 'stop' && dir) {
    existingCluster(dir).stop()
  } else {
    process.stderr.write('usage: node --import tsx bench/pg-cluster.ts start DIR [--replica-delay 2s] | stop DIR\n')
    process.exitCode = 2
  }
}
