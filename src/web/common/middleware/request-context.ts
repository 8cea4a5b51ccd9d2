import { randomUUID } from 'node:crypto'
import type { Logger } from 'pino'
import { pinoHttp } from 'pino-http'
import { SERIALIZERS } from '../../../logger.ts'

/**
 * Request ids and access logs. Only the path is logged, never the query string (searches carry
 * names) nor the body; ids in paths are opaque UUIDs. Each request's id is a UUID generated here
 * (`req.id`, the `X-Request-Id` response header, and the request id of its audit entries).
 */
export function requestLogging(logger: Logger) {
  return pinoHttp({
    logger,
    // Always our own id: it goes into the audit log, so a client must not choose it (nor make
    // two requests share one). A client's X-Request-Id is only logged beside it.
    genReqId: (_req, res) => {
      const id = randomUUID()
      res.setHeader('X-Request-Id', id)
      return id
    },
    serializers: {
      err: SERIALIZERS.err,
      req: (req: { id: string; method: string; url: string; headers?: Record<string, unknown> }) => ({
        id: req.id,
        method: req.method,
        path: req.url.split('?')[0],
        ...clientRequestId(req.headers?.['x-request-id']),
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : 'info'),
    autoLogging: { ignore: (req) => (req.url ?? '').startsWith('/assets/') },
  })
}

/** A client's own X-Request-Id, for the log only, and only if it is a plain token (no log injection). */
function clientRequestId(value: unknown): { clientRequestId?: string } {
  return typeof value === 'string' && /^[\w.:-]{1,100}$/.test(value) ? { clientRequestId: value } : {}
}
