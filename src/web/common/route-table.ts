/**
 * Every route an Express application answers, read from its own router: the method and the full
 * path. The tests that must cover every route (malformed ids, the access matrix) are generated from
 * it, so a route is covered the day it is added.
 */
import type { Express } from 'express'

export interface RouteEntry {
  method: string
  path: string
}

interface Layer {
  rawPath?: unknown
  slash?: boolean
  route?: { path: unknown; methods: Record<string, boolean> }
  handle?: { stack?: Layer[] }
}

function walk(stack: Layer[], prefix: string, out: RouteEntry[]) {
  for (const layer of stack) {
    if (layer.route) {
      for (const method of Object.keys(layer.route.methods)) out.push({ method: method.toUpperCase(), path: prefix + String(layer.route.path) })
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
