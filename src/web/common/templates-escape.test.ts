/**
 * Every template escapes data. Nunjucks autoescapes `{{ }}`, but text joined into a string with
 * `+` or `~` is a plain string, and GOV.UK macros print their `html:` parameters unescaped; so is
 * anything piped through `| safe`. This test parses every template and fails on an `html:`
 * parameter, a `| safe`, or a `{% set x = … %}` used in one, that holds a value not escaped:
 * allowed are literals, `| escape` (and `| date`), macro calls (which escape their own text),
 * blocks captured with `{% set x %}…{% endset %}` (autoescaped as they are captured), and record ids (`.id`, UUIDs).
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import nunjucks from 'nunjucks'

type Node = { typename: string; lineno: number; [key: string]: unknown }
const nodes = (nunjucks as unknown as { nodes: Record<string, new (...a: unknown[]) => Node> }).nodes
const parser = (nunjucks as unknown as { parser: { parse(src: string, ext: unknown[], opts: object): Node } }).parser
const is = (node: unknown, kind: string): node is Node => node instanceof nodes[kind]!

const SAFE_FILTERS = new Set(['escape', 'e', 'date', 'instant', 'length', 'int'])
const PASSING_FILTERS = new Set(['safe', 'nl2br'])

function templates(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? templates(join(dir, e.name)) : e.name.endsWith('.njk') ? [join(dir, e.name)] : [])
}

function children(node: Node): Node[] {
  return Object.values(node).flatMap((v) => (Array.isArray(v) ? v : [v])).filter((v): v is Node => typeof v === 'object' && v !== null && 'typename' in v)
}

const unsafeIn = (file: string) => unsafeInSource(readFileSync(file, 'utf8'), `${relative(process.cwd(), file)}:`)

function unsafeInSource(source: string, where: string): string[] {
  const ast = parser.parse(source, [], {})
  const known = new Map<string, boolean>()
  const safe = (e: unknown): boolean => {
    if (!e || is(e, 'Literal')) return true
    if (is(e, 'Group')) return (e.children as unknown[]).every(safe)
    if (is(e, 'Add') || is(e, 'Concat')) return safe(e.left) && safe(e.right)
    if (is(e, 'InlineIf')) return safe(e.body) && safe(e.else_)
    if (is(e, 'Filter')) {
      const name = (e.name as { value: string }).value
      if (SAFE_FILTERS.has(name)) return true
      return PASSING_FILTERS.has(name) && ((e.args as Node).children as unknown[]).every(safe)
    }
    if (is(e, 'FunCall')) return true // a macro (a Filter is a FunCall too: checked first)
    if (is(e, 'Symbol') && known.has(e.value as string)) return known.get(e.value as string)!
    if (is(e, 'LookupVal')) return (e.val as { value?: unknown }).value === 'id'
    return false
  }
  const collect = (node: Node) => {
    if (is(node, 'Set')) for (const t of node.targets as { value: string }[]) known.set(t.value, node.body ? true : safe(node.value))
    children(node).forEach(collect)
  }
  collect(ast)
  collect(ast) // a set that uses an earlier one
  const found: string[] = []
  const walk = (node: Node) => {
    if (is(node, 'Pair') && (node.key as { value?: unknown }).value === 'html' && !safe(node.value)) found.push(`${where}${node.lineno + 1} html:`)
    if (is(node, 'Filter') && (node.name as { value: string }).value === 'safe' && !safe(node)) found.push(`${where}${node.lineno + 1} | safe`)
    if (is(node, 'Set') && !node.body && (node.targets as { value: string }[]).some((t) => t.value.endsWith('Html')) && !safe(node.value)) {
      found.push(`${where}${node.lineno + 1} set`)
    }
    children(node).forEach(walk)
  }
  walk(ast)
  return found
}

test('no template puts unescaped data into html: parameters or | safe', () => {
  const files = templates(join(import.meta.dirname, '..'))
  assert.ok(files.length > 50)
  assert.deepEqual(files.flatMap(unsafeIn), [])
})

test('the check finds data joined into html, and lets escaped data, literals and macros through', () => {
  const unsafe = [
    '{{ govukButton({ html: "Unlink<span>" + item.record.sourceId + "</span>" }) }}',
    '{{ note.body | nl2br | safe }}',
    '{% set linkHtml = "<a>" + name + "</a>" %}{{ linkHtml | safe }}',
    '{{ govukInsetText({ html: ("<b>" ~ person.givenName ~ "</b>") if shown else "" }) }}',
  ]
  for (const src of unsafe) assert.notDeepEqual(unsafeInSource(src, ''), [], src)
  const safe = [
    '{{ govukButton({ html: "Unlink<span>" + (item.record.sourceId | escape) + "</span>" }) }}',
    '{{ govukSummaryList({ rows: [{ value: { html: note.body | escape | nl2br } }] }) }}',
    '{% set linkHtml %}<a>{{ name }}</a>{% endset %}{{ linkHtml | safe }}',
    '{{ govukInsetText({ html: "<a href=/cases/" + c.id + ">" + (when | date) + "</a>" }) }}',
    '{{ govukTable({ rows: [[{ html: govukTag({ text: state }) }]] }) }}',
  ]
  for (const src of safe) assert.deepEqual(unsafeInSource(src, ''), [], src)
})
