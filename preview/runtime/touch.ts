import exparser from 'miniprogram-exparser';

/**
 * automator's touch messages (`Element.touchstart/touchmove/touchend`, which `element.longpress()`
 * sends 350 ms apart) as the platform delivers them: touch events on the element, and `longpress`
 * (then `longtap`) once a touch has been held 350 ms without moving.
 */

const LONGPRESS_MS = 350;

interface Touch {
  identifier: number;
  pageX: number;
  pageY: number;
  clientX: number;
  clientY: number;
}

/** The element's centre, when the caller gives no touches of its own. */
function centreTouch(node: any): Touch {
  const r = (node.$$ as HTMLElement | undefined)?.getBoundingClientRect();
  const body = document.getElementById('pv-body')!;
  const b = body.getBoundingClientRect();
  const clientX = r ? r.left - b.left + r.width / 2 : 0;
  const clientY = r ? r.top - b.top + r.height / 2 : 0;
  return { identifier: 0, clientX, clientY, pageX: clientX + body.scrollLeft, pageY: clientY + body.scrollTop };
}

function fire(node: any, type: string, touches: Touch[], changedTouches: Touch[]): void {
  const [first] = changedTouches;
  const detail = first ? { x: first.pageX, y: first.pageY } : {};
  const options = { bubbles: true, composed: true, capturePhase: true, extraFields: { touches, changedTouches } };
  exparser.Event.dispatchEvent(node, exparser.Event.create(type, detail, options));
}

export function touchHandlers(elementOf: (p: any) => any): Record<string, (p: any) => unknown> {
  let held: { node: any; at: number; timer: ReturnType<typeof setTimeout>; fired: boolean; touch: Touch } | undefined;
  const pressLong = () => {
    if (!held || held.fired) return;
    held.fired = true;
    clearTimeout(held.timer);
    fire(held.node, 'longpress', [held.touch], [held.touch]);
    fire(held.node, 'longtap', [held.touch], [held.touch]);
  };
  const touchesOf = (p: any, node: any) => {
    const touches: Touch[] = p.touches?.length ? p.touches : [centreTouch(node)];
    return { touches, changed: (p.changedTouches?.length ? p.changedTouches : touches) as Touch[] };
  };
  return {
    'Element.touchstart': (p) => {
      const node = elementOf(p);
      const { touches, changed } = touchesOf(p, node);
      if (held) clearTimeout(held.timer);
      held = { node, at: Date.now(), fired: false, touch: changed[0]!, timer: setTimeout(pressLong, LONGPRESS_MS) };
      fire(node, 'touchstart', touches, changed);
    },
    'Element.touchmove': (p) => {
      const node = elementOf(p);
      const { touches, changed } = touchesOf(p, node);
      if (held) clearTimeout(held.timer);
      held = undefined;
      fire(node, 'touchmove', touches, changed);
    },
    'Element.touchend': (p) => {
      const node = elementOf(p);
      const { changed } = touchesOf(p, node);
      // a hold that lasted long enough counts even if the timer is late on a busy machine
      if (held && held.node === node && Date.now() - held.at >= LONGPRESS_MS) pressLong();
      if (held) clearTimeout(held.timer);
      held = undefined;
      fire(node, 'touchend', [], changed);
    },
  };
}
