import { join } from 'node:path';
import { builtApp } from './built-app';

/**
 * Runs a built page's `Component({...})` definition in Node without rendering: `setData` merges
 * into `data` the way the framework does, so a test can drive lifecycle methods and read state.
 * (Rendering WXML needs miniprogram-simulate, which needs a DOM: jest-environment-jsdom.)
 */
type Method = (this: PageInstance, ...args: unknown[]) => unknown;
interface Definition {
  data?: Record<string, unknown>;
  methods?: Record<string, Method>;
  behaviors?: Definition[];
}

export interface PageInstance {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read page data of any shape, as the page does
  data: Record<string, any>;
  setData(patch: Record<string, unknown>): void;
  [method: string]: unknown;
}

const definitions = new Map<string, Definition>();

function definitionOf(page: string): Definition {
  const file = join(builtApp().outDir, `${page}.js`);
  if (!definitions.has(file)) {
    const g = globalThis as { Component?: (d: Definition) => void; Behavior?: (d: Definition) => Definition };
    g.Component = (d) => void definitions.set(file, d);
    g.Behavior = (d) => d;
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loads a file chosen at run time by path
    require(file);
    if (!definitions.has(file)) throw new Error(`${page}.js did not call Component()`);
  }
  return definitions.get(file)!;
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
  node[keys[keys.length - 1]!] = value;
}

/** A definition with its behaviours' data and methods merged in, its own winning as the framework does. */
function merged(def: Definition): Required<Omit<Definition, 'behaviors'>> {
  const parts = [...(def.behaviors ?? []).map(merged), { data: def.data ?? {}, methods: def.methods ?? {} }];
  return {
    data: Object.assign({}, ...parts.map((p) => p.data)) as Record<string, unknown>,
    methods: Object.assign({}, ...parts.map((p) => p.methods)) as Record<string, Method>,
  };
}

export function openPage(page: string): PageInstance {
  const def = merged(definitionOf(page));
  const instance: PageInstance = {
    data: structuredClone(def.data),
    setData(patch) {
      for (const [path, value] of Object.entries(patch)) setPath(this.data, path, structuredClone(value));
    },
  };
  for (const [name, fn] of Object.entries(def.methods)) instance[name] = fn.bind(instance);
  return instance;
}

/** Calls a lifecycle or handler method by name. */
export function run(page: PageInstance, method: string, ...args: unknown[]): unknown {
  const fn = page[method];
  if (typeof fn !== 'function') throw new Error(`page has no method ${method}`);
  return (fn as (...a: unknown[]) => unknown)(...args);
}

/** Lets pending promise callbacks (a scripted cloud answer, then setData) run. */
export async function settle(ms = 0): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, ms));
}
