/**
 * Runs the real `together` command as a user would, under /usr/bin/time for its peak memory, and
 * describes the machine a benchmark ran on. Shared by the statutory-returns benchmarks.
 */
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { cpus, loadavg, totalmem } from 'node:os'
import { fileURLToPath } from 'node:url'

export interface CommandRun {
  ms: number
  rssMb: number
  /** CPU seconds in user and system mode (from /usr/bin/time; NaN if it did not say). */
  userS: number
  sysS: number
  /** The 1-minute load average when the run began. */
  load: number
  code: number | null
  stdout: string
}

const root = fileURLToPath(new URL('..', import.meta.url))

/** `node bin/together.js ...argv`, timed from spawn to exit; stderr is echoed when `echo` is set. */
export function timedCommand(argv: string[], options: { env?: Record<string, string>; echo?: boolean } = {}): Promise<CommandRun> {
  if (!existsSync('/usr/bin/time')) throw new Error('needs /usr/bin/time (apt-get install time) to measure peak memory')
  return new Promise((resolve, reject) => {
    const began = performance.now()
    const load = loadavg()[0]!
    const child = spawn('/usr/bin/time', ['-f', 'RSS_KB=%M USER_S=%U SYS_S=%S', process.execPath, 'bin/together.js', ...argv], {
      cwd: root,
      env: { ...process.env, LOG_LEVEL: 'silent', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c))
    child.stderr.setEncoding('utf8').on('data', (c: string) => {
      stderr += c
      if (options.echo) process.stderr.write(c)
    })
    child.on('error', reject)
    child.on('close', (code) => {
      const rss = /RSS_KB=(\d+)/.exec(stderr)
      const cpu = /USER_S=([\d.]+) SYS_S=([\d.]+)/.exec(stderr)
      if (code !== 0 && code !== 1) process.stderr.write(stderr)
      resolve({ ms: performance.now() - began, rssMb: rss ? Number(rss[1]) / 1024 : NaN, userS: cpu ? Number(cpu[1]) : NaN, sysS: cpu ? Number(cpu[2]) : NaN, load, code, stdout })
    })
  })
}

/** The last JSON line a command printed (the summary of --json output). */
export const lastJsonLine = (stdout: string): Record<string, unknown> => JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, unknown>

export function machine() {
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGb: Math.round(totalmem() / 2 ** 30),
    loadavg: loadavg().map((l) => Math.round(l * 100) / 100),
    node: process.version,
  }
}
