/**
 * A real ClamAV daemon for the tests (issue 18 §1): /usr/sbin/clamd (Debian's clamav-daemon) on a
 * socket in a temporary directory, with one local signature, an MD5 of the EICAR test file (no
 * download, no freshclam: none is possible on CI machines), started and waited for (PING), then
 * stopped. Used by test/clamd/documents-scan.test.ts (HTTP and services) and
 * test/browser/documents-scanned.test.ts (pages).
 *
 *   const clamd = await startClamd()
 *   after(() => clamd.stop())
 *   createTestApp(database, { TOGETHER_CLAMD_SOCKET: clamd.socket })
 */
import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { clamdScanner, ScannerUnavailable } from '../../src/services/records/clamd.ts'

export const CLAMD = '/usr/sbin/clamd'
export const CLAMD_SIGNATURE = 'Together-Test-EICAR'
/** What clamd names it: a signature from a local database is marked .UNOFFICIAL. */
export const CLAMD_FOUND = `${CLAMD_SIGNATURE}.UNOFFICIAL`
// The EICAR anti-virus test file (68 bytes), put together here so this source is not itself flagged.
export const EICAR = Buffer.from(['X5O!P%@AP[4\\PZX54(P^)7CC)7}$', 'EICAR-STANDARD-ANTIVIRUS-TEST-FILE', '!$H+H*'].join(''))

/** Why a test needing clamd cannot run here, or null when /usr/sbin/clamd is installed. */
export function clamdMissing(): string | null {
  return existsSync(CLAMD) ? null : `${CLAMD} is missing: install Debian's clamav-daemon (apt-get install clamav-daemon), as .ci/run does, to run the virus scanning tests`
}

export interface TestClamd {
  /** The temporary directory holding its configuration, signature and socket (removed by stop). */
  dir: string
  /** Its unix socket, for TOGETHER_CLAMD_SOCKET. */
  socket: string
  stop(): Promise<void>
}

/** Starts clamd on a socket in a new temporary directory with the EICAR signature alone, and waits for PONG. */
export async function startClamd(): Promise<TestClamd> {
  const missing = clamdMissing()
  if (missing) throw new Error(missing)
  const dir = mkdtempSync(join(tmpdir(), 'together-clamd-'))
  const socket = join(dir, 'clamd.sock')
  writeFileSync(join(dir, 'together-test.hdb'), `${createHash('md5').update(EICAR).digest('hex')}:${EICAR.length}:${CLAMD_SIGNATURE}\n`)
  writeFileSync(
    join(dir, 'clamd.conf'),
    [`LocalSocket ${socket}`, 'Foreground yes', `DatabaseDirectory ${dir}`, `TemporaryDirectory ${dir}`, 'StreamMaxLength 60M', 'MaxThreads 2', 'LogTime no', ''].join('\n'),
  )
  const output: string[] = []
  const clamd = spawn(CLAMD, ['--config-file', join(dir, 'clamd.conf')], { stdio: ['ignore', 'pipe', 'pipe'] })
  clamd.stdout!.on('data', (d: Buffer) => output.push(d.toString()))
  clamd.stderr!.on('data', (d: Buffer) => output.push(d.toString()))
  const stop = async () => {
    if (clamd.exitCode === null && clamd.signalCode === null) {
      const exited = new Promise((r) => clamd.once('exit', r))
      clamd.kill('SIGTERM')
      await exited
    }
    rmSync(dir, { recursive: true, force: true })
  }
  const scanner = clamdScanner({ socket, timeoutMs: 5_000 })
  const deadline = Date.now() + 60_000
  for (;;) {
    try {
      if (clamd.exitCode !== null) throw new Error(`clamd exited (${clamd.exitCode}): ${output.join('').slice(-2000)}`)
      try {
        await scanner.ping()
        return { dir, socket, stop }
      } catch (err) {
        if (!(err instanceof ScannerUnavailable) || Date.now() > deadline) throw new Error(`clamd did not answer PING: ${String(err)}; ${output.join('').slice(-2000)}`)
        await new Promise((r) => setTimeout(r, 200))
      }
    } catch (err) {
      await stop()
      throw err
    }
  }
}
