import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { layoutGenogram, shapeOf, type GenogramRelation } from './genogram.ts'

const child = { id: 'child', name: 'Testy Fictional', sex: 'F' }
const rel = (id: string, kind: string, sex: string | null, extra: Partial<GenogramRelation> = {}): GenogramRelation => ({
  id,
  name: `Person ${id}`,
  sex,
  kind,
  sameHousehold: false,
  parentalResponsibility: false,
  ...extra,
})

const byId = (layout: ReturnType<typeof layoutGenogram>, id: string) => {
  const node = layout.nodes.find((n) => n.id === id)
  assert.ok(node, `no node ${id}`)
  return node
}

describe('genogram layout', () => {
  test('generations run grandparents, parents and carers, then the child and siblings', () => {
    const layout = layoutGenogram({
      child,
      relations: [
        rel('gran', 'grandparent', 'F'),
        rel('mum', 'parent', 'F'),
        rel('partner', 'partner-of-parent', 'M'),
        rel('bro', 'sibling', 'M'),
      ],
    })
    const y = (id: string) => byId(layout, id).y
    assert.ok(y('gran') < y('mum'))
    assert.equal(y('mum'), y('partner'))
    assert.ok(y('mum') < y('child'))
    assert.equal(y('bro'), y('child'))
    assert.deepEqual(
      layout.nodes.map((n) => [n.id, n.generation]),
      [
        ['gran', 0],
        ['mum', 1],
        ['partner', 1],
        ['child', 2],
        ['bro', 2],
      ],
    )
    assert.equal(byId(layout, 'child').index, true)
    assert.equal(byId(layout, 'child').caption, 'The child')
  })

  test('empty generations take no room', () => {
    const alone = layoutGenogram({ child, relations: [] })
    const withParent = layoutGenogram({ child, relations: [rel('dad', 'parent', 'M')] })
    assert.equal(alone.nodes.length, 1)
    assert.ok(withParent.height > alone.height)
    assert.equal(alone.household, null)
    assert.match(alone.description, /No family members are recorded for Testy Fictional/)
  })

  test('shapes follow the sex code: squares male, circles female, diamonds unknown', () => {
    assert.equal(shapeOf('M'), 'square')
    assert.equal(shapeOf('F'), 'circle')
    assert.equal(shapeOf('U'), 'diamond')
    assert.equal(shapeOf(null), 'diamond')
    const layout = layoutGenogram({ child, relations: [rel('a', 'parent', 'M'), rel('b', 'parent', null)] })
    assert.equal(byId(layout, 'a').shape, 'square')
    assert.equal(byId(layout, 'b').shape, 'diamond')
    assert.equal(byId(layout, 'child').shape, 'circle')
  })

  test('the household boundary encloses exactly the household members and the child', () => {
    const layout = layoutGenogram({
      child,
      relations: [
        rel('nan', 'grandparent', 'F'),
        rel('grandad', 'grandparent', 'M', { sameHousehold: true }),
        rel('dad', 'parent', 'M'),
        rel('mum', 'parent', 'F', { sameHousehold: true, parentalResponsibility: true }),
        rel('stepdad', 'partner-of-parent', 'M', { sameHousehold: true }),
        rel('half-sister', 'sibling', 'F'),
        rel('brother', 'sibling', 'M', { sameHousehold: true }),
      ],
    })
    const box = layout.household
    assert.ok(box)
    const inside = (id: string) => {
      const n = byId(layout, id)
      return n.x > box.x && n.x < box.x + box.width && n.y > box.y && n.y < box.y + box.height
    }
    for (const id of ['grandad', 'mum', 'stepdad', 'child', 'brother']) assert.ok(inside(id), `${id} should be inside`)
    for (const id of ['nan', 'dad', 'half-sister']) assert.ok(!inside(id), `${id} should be outside`)
    assert.match(layout.description, /Inside the dashed household boundary with the child: Person grandad, Person mum, Person stepdad, Person brother\./)
  })

  test('lines join parents (solid) and carers (dashed) to the child, and siblings by a bar', () => {
    const layout = layoutGenogram({
      child,
      relations: [
        rel('mum', 'parent', 'F'),
        rel('aunt', 'carer', 'F'),
        rel('partner', 'partner-of-parent', 'M'),
        rel('gran', 'grandparent', 'F'),
        rel('sis', 'sibling', 'F'),
      ],
    })
    assert.deepEqual(
      layout.lines.map((l) => [l.from, l.to, l.kind]).sort(),
      [
        ['aunt', 'child', 'carer'],
        ['mum', 'child', 'parent'],
        ['sis', 'child', 'sibling'],
      ],
    )
    const mum = byId(layout, 'mum')
    const c = byId(layout, 'child')
    const line = layout.lines.find((l) => l.from === 'mum')!
    const points = line.points.split(' ').map((p) => p.split(',').map(Number))
    const [startX, startY] = points[0]!
    assert.equal(startX, mum.x)
    assert.ok(startY! > mum.y + layout.size / 2 + 31, 'the line starts below the name and caption')
    assert.deepEqual(points.at(-1), [c.x, c.y - layout.size / 2])
    const sibling = layout.lines.find((l) => l.kind === 'sibling')!.points.split(' ').map((p) => p.split(',').map(Number))
    const middle = points[1]![1]!
    assert.ok(sibling[1]![1]! > middle, 'the sibling bar is below the parents’ line')
  })

  test('one person with two kinds of relationship is drawn once, with both in the caption', () => {
    const layout = layoutGenogram({
      child,
      relations: [rel('mum', 'parent', 'F', { parentalResponsibility: true }), rel('mum', 'carer', 'F', { sameHousehold: true })],
    })
    assert.equal(layout.nodes.filter((n) => n.id === 'mum').length, 1)
    assert.equal(byId(layout, 'mum').caption, 'Parent, Carer, PR')
    assert.equal(byId(layout, 'mum').household, true)
    assert.equal(layout.lines.filter((l) => l.from === 'mum').length, 1)
  })

  test('the text alternative names everyone with their relationship, household and parental responsibility', () => {
    const layout = layoutGenogram({
      child,
      relations: [
        rel('gran', 'grandparent', 'F'),
        rel('mum', 'parent', 'F', { sameHousehold: true, parentalResponsibility: true }),
        rel('bro', 'sibling', 'M'),
      ],
    })
    assert.equal(layout.title, 'Genogram of Testy Fictional')
    assert.match(layout.description, /^Family network of Testy Fictional, who is shown on the bottom row/)
    assert.match(layout.description, /Grandparents \(top row\): Person gran \(grandparent\)\./)
    assert.match(layout.description, /Parents, carers and others \(middle row\): Person mum \(parent, lives with the child, has parental responsibility\)\./)
    assert.match(layout.description, /Siblings \(bottom row\): Person bro \(sibling\)\./)
    assert.match(layout.description, /Squares are male, circles female and diamonds sex unknown/)
  })

  test('long names are shortened in the drawing but kept whole on the node', () => {
    const long = 'Bartholomew-Fictional Featherstonehaugh'
    const layout = layoutGenogram({ child, relations: [{ ...rel('x', 'other', 'U'), name: long }] })
    const node = byId(layout, 'x')
    assert.equal(node.name, long)
    assert.equal(node.label.length, 22)
    assert.ok(node.label.endsWith('…'))
  })

  test('the drawing is wide enough for every node', () => {
    const relations = Array.from({ length: 5 }, (_, i) => rel(`s${i}`, 'sibling', 'M', { sameHousehold: i % 2 === 0 }))
    const layout = layoutGenogram({ child, relations })
    for (const n of layout.nodes) assert.ok(n.x + layout.size / 2 < layout.width)
    const xs = layout.nodes.filter((n) => n.generation === 2).map((n) => n.x)
    assert.equal(new Set(xs).size, xs.length, 'no two nodes in a row overlap')
  })
})
