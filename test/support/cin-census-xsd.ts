/**
 * The CIN census reference files (DfE's schemas and sample files, copied into reference-data/cin)
 * and an XSD check
 * with libxml2 compiled to WASM (xmllint-wasm: nothing downloaded, nothing native).
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { validateXML } from 'xmllint-wasm'

export const CIN_REFERENCE_DIR = fileURLToPath(new URL('../../reference-data/cin/', import.meta.url))

export function cinReferencePath(name: string): string {
  return `${CIN_REFERENCE_DIR}${name}`
}

export function cinReference(name: string): string {
  return readFileSync(`${CIN_REFERENCE_DIR}${name}`, 'utf8')
}

/** XSD errors of a census file against the schema of its year (2024, 2025 or 2026); [] when valid. */
export async function cinSchemaErrors(xml: string, year: number): Promise<string[]> {
  const schemaYear = Math.min(year, 2026)
  const result = await validateXML({
    xml: { fileName: 'census.xml', contents: xml },
    schema: { fileName: `CIN_schema_${schemaYear}.xsd`, contents: cinReference(`CIN_schema_${schemaYear}.xsd`) },
    maxMemoryPages: 16384,
  })
  return result.errors.map((e) => e.message)
}
