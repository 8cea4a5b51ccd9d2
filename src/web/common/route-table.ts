/**
 * Every route an Express application answers, read from its own router: the method and the full
 * path. The tests that must cover every route (malformed ids, the access matrix) are generated from
 * it, so a route is covered the day it is added.
 */
import type { Express } from 'express'

export interface RouteEntry {
  method: string
  path: string
  /** The route's middleware and handler, in the order they run (what it declares, e.g. web/common/case-forms.ts). */
  handlers: readonly object[]
}

interface Layer {
  rawPath?: unknown
  slash?: boolean
  method?: string
  route?: { path: unknown; methods: Record<string, boolean>; stack: Layer[] }
  handle?: { stack?: Layer[] }
}

function walk(stack: Layer[], prefix: string, out: RouteEntry[]) {
  for (const layer of stack) {
    if (layer.route) {
      for (const method of Object.keys(layer.route.methods)) {
        const handlers = layer.route.stack.filter((l) => l.method === undefined || l.method === method).map((l) => l.handle as object)
        out.push({ method: method.toUpperCase(), path: prefix + String(layer.route.path), handlers })
      }
    } else if (layer.handle?.stack) {
      const mount = layer.slash || typeof layer.rawPath !== 'string' ? '' : layer.rawPath
      walk(layer.handle.stack, prefix + mount, out)
    }
  }
}

export function routeTable(app: Express): RouteEntry[] {
  const out: RouteEntry[] = []
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack, '', out)
  return out
}
