import { defineConfig } from 'drizzle-kit'

// Used only to generate SQL migrations from src/db/schema.ts: `npx drizzle-kit generate`.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema.ts',
  out: './migrations',
})
