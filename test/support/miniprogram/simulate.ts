/** miniprogram-simulate (j-component) with the few types the component tests use. */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the simulator ships CommonJS without typings
export const simulate = require('miniprogram-simulate') as {
  load(definition: string | Record<string, unknown>, options?: { rootPath: string }): string;
  render(id: string, props?: Record<string, unknown>): Rendered;
  sleep(ms: number): Promise<void>;
};

export interface Node {
  dom: { textContent: string | null };
  data: Record<string, unknown>;
  querySelector(selector: string): Node | undefined;
  querySelectorAll(selector: string): Node[];
  dispatchEvent(name: string, options?: { detail?: unknown }): void;
}

export interface Rendered extends Node {
  attach(parent: unknown): void;
  setData(data: Record<string, unknown>): void;
}
