/**
 * At most `limit` requests are worked on at once; the others wait, first come first served, and
 * start as earlier ones finish. The server has one JavaScript thread and a pool of database
 * connections: working on hundreds of requests at once only interleaves them, so each takes as
 * long as the slowest and holds its memory (sessions, query results, pages) the while. Taken in
 * turn, a request's time is its wait plus its own work, the same for every kind of page, and the
 * longest waits (p99) come down. Health checks and static assets are answered before this
 * (app.ts); a request whose client has gone while it waited is never started.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express'

export interface Admission {
  handler: RequestHandler
  /** Requests being worked on now, and waiting. */
  state(): { active: number; waiting: number }
}

export function admission(limit: number): Admission {
  let active = 0
  const waiting: (() => void)[] = []

  const startNext = () => {
    while (active < limit && waiting.length > 0) waiting.shift()!()
  }

  const handler = (req: Request, res: Response, next: NextFunction) => {
    const start = () => {
      // The client went away while the request waited: nothing to answer.
      if (req.socket.destroyed || res.writableEnded) return
      active += 1
      let released = false
      const release = () => {
        if (released) return
        released = true
        active -= 1
        startNext()
      }
      res.once('finish', release)
      res.once('close', release)
      next()
    }
    if (active < limit) start()
    else waiting.push(start)
  }
  return { handler, state: () => ({ active, waiting: waiting.length }) }
}
