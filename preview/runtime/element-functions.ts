import exparser from 'miniprogram-exparser';

/**
 * `element.callFunction(name, ...args)`: what automator's element classes send for the built-in
 * components (InputElement.input, ScrollViewElement.scrollTo…, SwitchElement.tap, SliderElement,
 * SwiperElement, MovableViewElement), done the way a person would and answered with the component's
 * own events.
 */

type Fn = (node: any, args: unknown[]) => unknown;

const num = (v: unknown) => Number(v ?? 0);
const caller = (node: any) => exparser.Element.getMethodCaller(node);
const dom = (node: any): HTMLElement => node.$$ as HTMLElement;
const emit = (node: any, type: string, detail: object) => caller(node).triggerEvent(type, detail);

function typeText(node: any, value: unknown): null {
  const c = caller(node);
  if (typeof c.typeText !== 'function') throw new Error(`${String(node._vt?.tagName)} takes no text`);
  c.typeText(String(value ?? ''));
  return null;
}

const FUNCTIONS: Record<string, Fn> = {
  'input.input': (node, [value]) => typeText(node, value),
  'textarea.input': (node, [value]) => typeText(node, value),
  'scroll-view.scrollTo': (node, [x, y]) => {
    const el = dom(node);
    el.scrollLeft = num(x);
    el.scrollTop = num(y);
    const { scrollLeft, scrollTop, scrollWidth, scrollHeight } = el;
    emit(node, 'scroll', { scrollLeft, scrollTop, scrollWidth, scrollHeight });
    return null;
  },
  'scroll-view.scrollTop': (node) => dom(node).scrollTop,
  'scroll-view.scrollLeft': (node) => dom(node).scrollLeft,
  'scroll-view.scrollWidth': (node) => dom(node).scrollWidth,
  'scroll-view.scrollHeight': (node) => dom(node).scrollHeight,
  'switch.tap': (node) => {
    const c = caller(node);
    c.setData({ checked: !c.data.checked });
    emit(node, 'change', { value: c.data.checked });
    return null;
  },
  'slider.slideTo': (node, [value]) => {
    caller(node).setData({ value: num(value) });
    emit(node, 'change', { value: num(value) });
    return null;
  },
  'swiper.swipeTo': (node, [index]) => {
    caller(node).setData({ current: num(index) });
    emit(node, 'change', { current: num(index), source: 'touch' });
    return null;
  },
  'movable-view.moveTo': (node, [x, y]) => {
    caller(node).setData({ _translateX: num(x), _translateY: num(y) });
    emit(node, 'change', { x: num(x), y: num(y), source: 'touch' });
    return null;
  },
};

export function callElementFunction(node: any, name: string, args: unknown[]): { result: unknown } {
  const fn = FUNCTIONS[name];
  if (!fn) throw new Error(`${name} not exists`);
  const tag = String(node._vt?.tagName ?? '');
  if (name.split('.')[0] !== tag) throw new Error(`${name} cannot be called on ${tag}`);
  return { result: fn(node, args) };
}
