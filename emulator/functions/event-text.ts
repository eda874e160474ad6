type Task = { raw: string } | { value: unknown };

/**
 * The event as JSON text, written without recursion: the platform hands a function the JSON it
 * was sent, however deep, and leaves any limit to the function. (`JSON.stringify`, which the IPC
 * channel would use, recurses and fails on a deep payload before the function runs.)
 */
export function eventText(event: unknown): string {
  const out: string[] = [];
  const tasks: Task[] = [{ value: event }];
  while (tasks.length > 0) {
    const task = tasks.pop()!;
    if ('raw' in task) {
      out.push(task.raw);
      continue;
    }
    let v = task.value;
    if (v && typeof (v as { toJSON?: unknown }).toJSON === 'function') v = (v as { toJSON(): unknown }).toJSON();
    if (!v || typeof v !== 'object') {
      out.push(JSON.stringify(v) ?? 'null');
      continue;
    }
    const isArray = Array.isArray(v);
    const entries = isArray
      ? (v as unknown[]).map((item) => ['', item] as const)
      : Object.keys(v).flatMap((k) => {
          const item = (v as Record<string, unknown>)[k];
          return item === undefined || typeof item === 'function' ? [] : [[k, item] as const];
        });
    const parts: Task[] = [{ raw: isArray ? '[' : '{' }];
    entries.forEach(([k, item], i) => {
      parts.push({ raw: `${i > 0 ? ',' : ''}${isArray ? '' : `${JSON.stringify(k)}:`}` }, { value: item });
    });
    parts.push({ raw: isArray ? ']' : '}' });
    for (let i = parts.length - 1; i >= 0; i--) tasks.push(parts[i]!);
  }
  return out.join('');
}
