import type { OpenApiCall } from '../openapi/recorder';
import { api, bi, byId, h, jsonBlock, outcomeCell, rowTable, show, time } from './dom';

interface PendingFault {
  apiName: string;
  fault: { errcode?: number; delayMs?: number };
  left: number | 'always';
}

let selected: string | undefined;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

/** The picture WeChat answered (a wxacode PNG), drawn from the recorded bytes. */
function imageOf(call: OpenApiCall, cls: string): HTMLImageElement | null {
  const o = call.outcome;
  if ('errcode' in o || !o.contentType.startsWith('image/')) return null;
  return h('img', { class: cls, src: `data:${o.contentType};base64,${o.base64}`, alt: `${call.apiName} 图片 image` });
}

function outcomeOf(call: OpenApiCall): HTMLElement {
  const o = call.outcome;
  const injected = call.fault ? ' (注入 injected)' : '';
  if ('errcode' in o)
    return o.errcode === 0
      ? outcomeCell(true, `0 成功 ok${injected}`)
      : outcomeCell(false, `${o.errcode} ${o.errmsg}${injected}`);
  const cell = outcomeCell(true, `${o.contentType} · ${o.bytes} B${injected}`);
  const thumb = imageOf(call, 'openapi-thumb');
  if (thumb) cell.prepend(thumb);
  return cell;
}

function imageFigure(call: OpenApiCall): HTMLElement | null {
  const img = imageOf(call, 'openapi-image');
  return img && h('div', {}, h('h3', {}, bi('图片', 'Image')), img);
}

function detail(call: OpenApiCall): Node {
  const o = call.outcome;
  const answer =
    'errcode' in o
      ? { errcode: o.errcode, errmsg: o.errmsg, ...o.response }
      : { contentType: o.contentType, bytes: o.bytes };
  return h(
    'div',
    { class: 'detail-grid' },
    jsonBlock(bi('参数', 'Params'), call.params),
    jsonBlock(bi('应答', 'Answer'), answer),
    call.fault ? jsonBlock(bi('注入的故障', 'Injected fault'), call.fault) : null,
    imageFigure(call),
  );
}

function render(calls: OpenApiCall[]): void {
  show('openapi-list', JSON.stringify([calls, selected]), () =>
    rowTable({
      label: 'OpenAPI 调用 OpenAPI calls',
      columns: [
        { zh: '接口', en: 'API' },
        { zh: '时间', en: 'Time' },
        { zh: '接收者', en: 'touser' },
        { zh: '模板', en: 'template_id' },
        { zh: '结果', en: 'Outcome (errcode)' },
      ],
      items: calls,
      key: (c) => String(c.seq),
      cells: (c) => [
        c.apiName,
        h('span', { title: c.at }, time(c.at)),
        h('span', { class: 'mono' }, str(c.params.touser) ?? (c.openid || '—')),
        h('span', { class: 'mono' }, str(c.params.template_id) ?? str(c.params.templateId) ?? '—'),
        outcomeOf(c),
      ],
      detail,
      selected,
      onSelect: (key) => {
        selected = key;
        render(calls);
      },
    }),
  );
}

function renderFaults(faults: PendingFault[]): void {
  const text = faults
    .map(
      (f) =>
        `${f.apiName} → ${f.fault.errcode ?? `延迟 delay ${f.fault.delayMs} ms`} ×${f.left === 'always' ? '∞' : f.left}`,
    )
    .join(';');
  byId('faults').textContent = faults.length ? `已注入故障 Injected faults: ${text}` : '';
}

export async function refreshOpenApi(): Promise<void> {
  const [calls, faults] = await Promise.all([
    api<{ calls: OpenApiCall[] }>('/openapi/calls'),
    api<{ faults: PendingFault[] }>('/api/openapi/faults'),
  ]);
  render([...calls.calls].reverse());
  renderFaults(faults.faults);
}
