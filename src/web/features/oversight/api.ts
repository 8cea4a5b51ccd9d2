import type { ApiBuilder } from '../api/builder.ts'

export function registerOversightApi(_api: ApiBuilder): void {}
