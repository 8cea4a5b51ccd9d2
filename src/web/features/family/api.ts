import type { ApiBuilder } from '../api/builder.ts'

export function registerFamilyApi(_api: ApiBuilder): void {}
