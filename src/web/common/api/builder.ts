/**
 * Declares JSON API operations once: the Express route, its input validation (zod) and its entry
 * in the OpenAPI 3.1 document at /api/v1/openapi.json all come from the same declaration, so
 * the document cannot drift from the code.
 *
 * An operation that changes a child's case (under /cases/:caseId/) declares the action it needs
 * (`caseAction`): it is decided, audited when refused, before the body is validated, so a user who
 * may only read the case is answered 403 (a restricted record they are unrelated to: 404), not the
 * body's validation errors; the document shows it as `x-case-action`.
 */
import { Router, type Request, type Response } from 'express'
import { z } from 'zod'
import type { RecordAction } from '../../../domain/access/policy.ts'
import type { ServiceContext } from '../../../services/common/context.ts'
import { requireCaseAction } from '../../../services/journey/case-records.ts'
import type { AppDeps } from '../../deps.ts'
import { unstorableTextErrors } from '../../../services/common/storable-text.ts'
import { fieldMessages } from '../forms.ts'
import { serviceContext } from '../middleware/auth.ts'
import { sendProblem } from '../problem.ts'
import { isIdParam, isUuid } from '../router.ts'

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete'

export interface OperationMeta<B extends z.ZodType | undefined, Q extends z.ZodType | undefined> {
  /** One line for the API document, e.g. "Record a contact". */
  summary: string
  /** Groups operations in the document, e.g. "Front door". */
  tag: string
  /** Request body schema (POST, PUT, PATCH). */
  body?: B
  /** Query string schema. */
  query?: Q
  /** Status of a successful answer; 200 unless given (201 for creations). */
  status?: number
  /** The response's schema when it is worth documenting; otherwise "a JSON object". */
  response?: z.ZodType
  /** The action on the case `:caseId` this operation needs, decided before its body is read (a change to a case). */
  caseAction?: RecordAction
  /** A body that is not JSON (e.g. a census file as application/xml), which the handler reads from `req` itself. */
  rawBody?: { mediaType: string; description: string }
  /** An answer that is not JSON (a file's bytes), which the handler sends itself. */
  rawResponse?: { mediaType: string; description: string }
}

export interface OperationInput<B, Q> {
  ctx: ServiceContext
  /** Path parameters; every `:name` ending in "id" or "Id" has been checked to be a UUID. */
  params: Record<string, string>
  body: B
  query: Q
  req: Request
  res: Response
}

type Handler<B, Q> = (input: OperationInput<B, Q>) => Promise<unknown>

interface Operation {
  method: Method
  path: string
  meta: OperationMeta<z.ZodType | undefined, z.ZodType | undefined>
}

type Infer<T> = T extends z.ZodType ? z.infer<T> : undefined

export class ApiBuilder {
  readonly router = Router()
  readonly operations: Operation[] = []

  constructor(readonly deps: AppDeps) {}

  get<Q extends z.ZodType | undefined = undefined>(
    path: string,
    meta: OperationMeta<undefined, Q>,
    handler: Handler<undefined, Infer<Q>>,
  ): void {
    this.add('get', path, meta, handler)
  }

  post<B extends z.ZodType | undefined = undefined>(
    path: string,
    meta: OperationMeta<B, undefined>,
    handler: Handler<Infer<B>, undefined>,
  ): void {
    this.add('post', path, meta, handler)
  }

  put<B extends z.ZodType | undefined = undefined>(
    path: string,
    meta: OperationMeta<B, undefined>,
    handler: Handler<Infer<B>, undefined>,
  ): void {
    this.add('put', path, meta, handler)
  }

  patch<B extends z.ZodType | undefined = undefined>(
    path: string,
    meta: OperationMeta<B, undefined>,
    handler: Handler<Infer<B>, undefined>,
  ): void {
    this.add('patch', path, meta, handler)
  }

  delete(path: string, meta: OperationMeta<undefined, undefined>, handler: Handler<undefined, undefined>): void {
    this.add('delete', path, meta, handler)
  }

  private add<B, Q>(
    method: Method,
    path: string,
    meta: OperationMeta<z.ZodType | undefined, z.ZodType | undefined>,
    handler: Handler<B, Q>,
  ): void {
    if (meta.caseAction && !/^\/cases\/:caseId(\/|$)/.test(path)) throw new Error(`${path}: a case action needs the case in the path as /cases/:caseId`)
    this.operations.push({ method, path, meta })
    /** The part of the case it changes, for the audit entry of a refusal: notes, plans ... */
    const section = path.split('/')[3] ?? 'overview'
    this.router[method](path, async (req: Request, res: Response) => {
      const params: Record<string, string> = {}
      for (const [name, value] of Object.entries(req.params as Record<string, string>)) {
        if (isIdParam(name) && !isUuid(value)) return sendProblem(res, 404, 'Not found')
        params[name] = value
      }
      const ctx = serviceContext(this.deps, req, res)
      if (meta.caseAction) await requireCaseAction(ctx, params.caseId!, meta.caseAction, section)
      // Text the database cannot store (NUL, an unpaired surrogate) is refused on its field first.
      let body: unknown
      if (meta.body) {
        const unstorable = unstorableTextErrors(req.body)
        const parsed = meta.body.safeParse(req.body ?? {})
        if (!parsed.success || unstorable) {
          return sendProblem(res, 422, 'Invalid input', { errors: { ...(parsed.success ? {} : fieldMessages(parsed.error)), ...unstorable } })
        }
        body = parsed.data
      }
      let query: unknown
      if (meta.query) {
        const unstorable = unstorableTextErrors(req.query)
        const parsed = meta.query.safeParse(req.query)
        if (!parsed.success || unstorable) {
          return sendProblem(res, 422, 'Invalid query', { errors: { ...(parsed.success ? {} : fieldMessages(parsed.error)), ...unstorable } })
        }
        query = parsed.data
      }
      const result = await handler({ ctx, params, body: body as B, query: query as Q, req, res })
      if (res.headersSent) return
      if (result === undefined) return void res.status(204).end()
      res.status(meta.status ?? 200).json(result)
    })
  }

  /** The OpenAPI 3.1 document of every operation declared so far. */
  openApi(info: { title: string; version: string }): Record<string, unknown> {
    const paths: Record<string, Record<string, unknown>> = {}
    const problem = { $ref: '#/components/responses/Problem' }
    for (const { method, path, meta } of this.operations) {
      const openApiPath = path.replace(/:(\w+)/g, '{$1}')
      const parameters: unknown[] = [...path.matchAll(/:(\w+)/g)].map((m) => ({
        name: m[1],
        in: 'path',
        required: true,
        schema: isIdParam(m[1]!) ? { type: 'string', format: 'uuid' } : { type: 'string' },
      }))
      if (meta.query) {
        const shape = jsonSchema(meta.query) as { properties?: Record<string, unknown>; required?: string[] }
        for (const [name, schema] of Object.entries(shape.properties ?? {})) {
          parameters.push({ name, in: 'query', required: shape.required?.includes(name) ?? false, schema })
        }
      }
      const status = String(meta.status ?? 200)
      const operation: Record<string, unknown> = {
        summary: meta.summary,
        tags: [meta.tag],
        operationId: `${method}${openApiPath.replace(/[{}]/g, '').replace(/[^a-zA-Z0-9]+(.)?/g, (_, c: string = '') => c.toUpperCase())}`,
        parameters,
        responses: {
          [status]: {
            description: 'Success',
            content: meta.rawResponse
              ? { [meta.rawResponse.mediaType]: { schema: { type: 'string', format: 'binary', description: meta.rawResponse.description } } }
              : { 'application/json': { schema: meta.response ? jsonSchema(meta.response) : { type: 'object' } } },
          },
          '401': problem,
          '403': problem,
          '404': problem,
          '409': problem,
          '422': problem,
        },
      }
      if (meta.caseAction) operation['x-case-action'] = meta.caseAction
      if (meta.body) {
        operation.requestBody = { required: true, content: { 'application/json': { schema: jsonSchema(meta.body) } } }
      }
      if (meta.rawBody) {
        operation.requestBody = { required: true, description: meta.rawBody.description, content: { [meta.rawBody.mediaType]: { schema: { type: 'string' } } } }
      }
      paths[openApiPath] ??= {}
      paths[openApiPath][method] = operation
    }
    return {
      openapi: '3.1.0',
      info,
      servers: [{ url: '/api/v1' }],
      security: [{ bearerToken: [] }, { sessionCookie: [] }],
      paths,
      components: {
        securitySchemes: {
          bearerToken: {
            type: 'http',
            scheme: 'bearer',
            description: 'An API token made with `together tokens create`; no CSRF token is needed.',
          },
          sessionCookie: {
            type: 'apiKey',
            in: 'cookie',
            name: 'together.sid',
            description: 'A signed-in browser session; state-changing requests need the x-csrf-token header from GET /me.',
          },
        },
        responses: {
          Problem: {
            description: 'An RFC 9457 problem document',
            content: {
              'application/problem+json': {
                schema: {
                  type: 'object',
                  properties: {
                    type: { type: 'string' },
                    title: { type: 'string' },
                    status: { type: 'integer' },
                    detail: { type: 'string' },
                    errors: { type: 'object', additionalProperties: { type: 'string' } },
                  },
                },
              },
            },
          },
        },
      },
    }
  }
}

function jsonSchema(schema: z.ZodType): unknown {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>
  return rest
}
