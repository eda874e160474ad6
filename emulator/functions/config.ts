import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

/** A function's `config.json`, as CloudBase reads it: timeout (s), triggers, env variables. */
export const functionConfigSchema = z.object({
  timeout: z.number().int().min(1).max(900).default(3),
  memorySize: z.number().int().optional(),
  envVariables: z.record(z.string(), z.string()).default({}),
  triggers: z
    .array(z.object({ name: z.string().min(1), type: z.literal('timer'), config: z.string().min(1) }))
    .default([]),
  permissions: z
    .object({ openapi: z.array(z.string()).default([]) })
    .partial()
    .optional(),
});
export type FunctionConfig = z.output<typeof functionConfigSchema>;

export interface FunctionDef {
  name: string;
  dir: string;
  entry: string;
  config: FunctionConfig;
}

/** Built functions: every `cloudfunctions/<name>/index.js` with its config.json. */
export function discoverFunctions(root: string): FunctionDef[] {
  if (!existsSync(root)) return [];
  return readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(root, d.name, 'index.js')))
    .map((d) => {
      const dir = join(root, d.name);
      const cfgPath = join(dir, 'config.json');
      const raw = existsSync(cfgPath) ? JSON.parse(readFileSync(cfgPath, 'utf8')) : {};
      const parsed = functionConfigSchema.safeParse(raw);
      if (!parsed.success)
        throw new Error(
          `${cfgPath}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
        );
      return { name: d.name, dir, entry: join(dir, 'index.js'), config: parsed.data };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}
