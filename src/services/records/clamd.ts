/**
 * A virus scanner speaking ClamAV's clamd protocol (docs/documents.md, "Virus scanning"): a file's
 * bytes are streamed to clamd with zINSTREAM (each piece sent as a 4-byte big-endian length and the
 * bytes, then a zero length), piece by piece as they are read, never whole in memory; clamd answers
 * `stream: OK`, `stream: <signature> FOUND` or `<reason> ERROR`. A unix socket or a TCP host and
 * port, from TOGETHER_CLAMD_SOCKET or TOGETHER_CLAMD_HOST and TOGETHER_CLAMD_PORT (src/config.ts).
 *
 * Written here rather than taken from npm: the maintained client (clamscan) also drives the
 * clamscan and clamdscan programs, probes for them and falls back to them, and fails to start when
 * the daemon is down; Together needs only the two commands below, and must tell "clamd could not
 * answer" (the file waits, pending) from "infected" (quarantined), which this does in one place.
 */
import { connect, type Socket } from 'node:net'

/** Where clamd listens. */
export type ClamdTarget = { socket: string; timeoutMs: number } | { host: string; port: number; timeoutMs: number }

export type ScanVerdict = { infected: false } | { infected: true; signature: string }

/** clamd could not be reached, timed out or answered with an error: the scan is to be tried again. */
export class ScannerUnavailable extends Error {
  override name = 'ScannerUnavailable'
}

export interface VirusScanner {
  /** 'clamd at /run/clamav/clamd.ctl' (no secrets: a path or a host). */
  readonly description: string
  /** Streams the bytes to the scanner and returns its verdict; ScannerUnavailable when it cannot give one. */
  scan(bytes: AsyncIterable<Uint8Array>): Promise<ScanVerdict>
  /** Resolves when clamd answers PONG. */
  ping(): Promise<void>
}

/** The largest piece sent at once (clamd reads each into a buffer of its own). */
const PIECE_BYTES = 64 * 1024

/** Parses clamd's answer to zINSTREAM (without its terminating NUL). */
export function parseScanReply(reply: string): ScanVerdict {
  const text = reply.replace(/\0+$/, '').trim()
  if (/^stream: OK$/.test(text)) return { infected: false }
  const found = /^stream: (.+) FOUND$/.exec(text)
  if (found) return { infected: true, signature: found[1]! }
  throw new ScannerUnavailable(`clamd could not scan the file: ${text || 'no answer'}`)
}

export function clamdScanner(target: ClamdTarget): VirusScanner {
  const description = 'socket' in target ? `clamd at ${target.socket}` : `clamd at ${target.host}:${target.port}`

  /** Opens a connection, runs `talk` on it, and returns everything clamd said up to its NUL or the end. */
  function session(talk: (socket: Socket, failed: () => boolean) => Promise<void>): Promise<string> {
    return new Promise<string>((resolve, reject) => {
      const socket = 'socket' in target ? connect(target.socket) : connect(target.port, target.host)
      const received: Buffer[] = []
      let settled = false
      let writeFailed = false
      const finish = (err: Error | null) => {
        if (settled) return
        settled = true
        socket.destroy()
        // A network error (ECONNREFUSED, ENOENT, EPIPE ...) means clamd is not there; any other
        // (reading the bytes failed) is the caller's own and goes up as it is.
        if (err) reject((err as NodeJS.ErrnoException).code ? new ScannerUnavailable(`${description}: ${err.message}`) : err)
        else resolve(Buffer.concat(received).toString('utf8'))
      }
      socket.setTimeout(target.timeoutMs, () => finish(new ScannerUnavailable(`${description} did not answer within ${target.timeoutMs} ms`)))
      socket.on('data', (piece: Buffer) => {
        received.push(piece)
        // clamd ends each answer of a z-command with NUL; it may close the connection too.
        if (piece.includes(0)) finish(null)
      })
      socket.on('end', () => finish(received.length > 0 ? null : new ScannerUnavailable(`${description} closed the connection without answering`)))
      socket.on('error', (err) => {
        // Writing after clamd answered early (a size limit) fails; its answer is what counts.
        if (received.length > 0) finish(null)
        else finish(err)
      })
      socket.once('connect', () => {
        talk(socket, () => settled || writeFailed).catch((err: Error) => {
          writeFailed = true
          if (received.length === 0) finish(err)
        })
      })
    })
  }

  const write = (socket: Socket, data: Uint8Array) =>
    new Promise<void>((resolve, reject) => {
      if (socket.destroyed) return reject(new ScannerUnavailable(`${description} closed the connection`))
      if (socket.write(data)) return resolve()
      const done = () => {
        socket.off('drain', done)
        socket.off('close', closed)
        resolve()
      }
      const closed = () => {
        socket.off('drain', done)
        reject(new ScannerUnavailable(`${description} closed the connection`))
      }
      socket.once('drain', done)
      socket.once('close', closed)
    })

  return {
    description,
    async ping() {
      const reply = await session(async (socket) => {
        await write(socket, Buffer.from('zPING\0'))
      })
      if (reply.replace(/\0+$/, '').trim() !== 'PONG') throw new ScannerUnavailable(`${description} answered PING with ${JSON.stringify(reply.slice(0, 80))}`)
    },
    async scan(bytes) {
      const reply = await session(async (socket, stopped) => {
        await write(socket, Buffer.from('zINSTREAM\0'))
        const length = Buffer.alloc(4)
        for await (const chunk of bytes) {
          for (let at = 0; at < chunk.length; at += PIECE_BYTES) {
            if (stopped()) return
            const piece = chunk.subarray(at, at + PIECE_BYTES)
            length.writeUInt32BE(piece.length)
            await write(socket, Buffer.from(length))
            await write(socket, piece)
          }
        }
        if (!stopped()) await write(socket, Buffer.alloc(4))
      })
      return parseScanReply(reply)
    },
  }
}

const scanners = new WeakMap<ClamdTarget, VirusScanner>()

/** The scanner of a configured clamd (one per configuration), or null when none is configured. */
export function scannerFor(target: ClamdTarget | null): VirusScanner | null {
  if (!target) return null
  let scanner = scanners.get(target)
  if (!scanner) scanners.set(target, (scanner = clamdScanner(target)))
  return scanner
}
