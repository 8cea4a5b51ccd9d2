/**
 * The layers' rules (docs/architecture.md): the domain imports no I/O layer, nothing below the web
 * layer imports it, and no two modules import each other.
 */
import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'

const src = dirname(fileURLToPath(import.meta.url))

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : /\.ts$/.test(e.name) ? [join(dir, e.name)] : [],
  )
}

/** Each file's relative imports that load code (type-only imports vanish at run time). */
const imports = new Map(
  sources(src).map((file) => {
    const text = readFileSync(file, 'utf8')
    const specs = [...text.matchAll(/^(?:import|export)\s+(?!type\b)[^'"]*?from\s+'(\.[^']+)'|import\('(\.[^']+)'\)/gm)]
    return [relative(src, file), specs.map((m) => relative(src, resolve(dirname(file), (m[1] ?? m[2])!)))] as const
  }),
)

const violations = (rule: (from: string, to: string) => boolean) =>
  [...imports].flatMap(([from, tos]) => tos.filter((to) => rule(from, to)).map((to) => `${from} → ${to}`))

test('the domain imports nothing from services, db or web', () => {
  assert.deepEqual(violations((from, to) => from.startsWith('domain/') && /^(services|db|web)\//.test(to)), [])
})

test('only the serve command, the entry point, imports from the web layer', () => {
  assert.deepEqual(violations((from, to) => !from.startsWith('web/') && to.startsWith('web/') && from !== 'cli/commands/serve.ts'), [])
})

test('no two modules import each other (schema tables of different capabilities may refer to each other)', () => {
  const circles = violations((from, to) => from < to && !from.startsWith('db/schema/') && (imports.get(to) ?? []).includes(from))
  assert.deepEqual(circles, [])
})
