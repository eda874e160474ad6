import jComponent from 'j-component';
import { cache as engineCache } from 'j-component/src/tool/utils';
import type { AppPackage } from '../app-package';

/**
 * Loads the built Mini Program into j-component: a CommonJS `require` over the package's
 * scripts, `Component()`/`Behavior()` globals that register definitions with the engine (as
 * miniprogram-simulate's `load` does), and the platform's built-in components.
 */

const g = globalThis as any;
const modules = new Map<string, { exports: any }>();
let pkg: AppPackage;
/** The component whose script is running, so `Component({...})` knows its template and prefix. */
let loading: { path: string; id: string } | undefined;
const registered = new Map<string, string>();

function normalize(path: string): string {
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '..') out.pop();
    else if (part && part !== '.') out.push(part);
  }
  return out.join('/');
}
const dirOf = (path: string) => path.split('/').slice(0, -1).join('/');

export function requireApp(path: string): any {
  const key = path.replace(/\.js$/, '');
  const candidates = [key, `${key}/index`];
  const found = candidates.find((c) => c in pkg.scripts);
  if (!found) throw new Error(`module not found: ${path}`);
  const cached = modules.get(found);
  if (cached) return cached.exports;
  const mod = { exports: {} as any };
  modules.set(found, mod);
  // eslint-disable-next-line no-new-func -- evaluates the Mini Program's built module as its own scope
  const fn = new Function('require', 'module', 'exports', `${pkg.scripts[found]}\n//# sourceURL=app/${found}.js`);
  fn(
    (spec: string) => requireApp(spec.startsWith('.') ? normalize(`${dirOf(found)}/${spec}`) : normalize(spec)),
    mod,
    mod.exports,
  );
  return mod.exports;
}

const BUILT_IN_PLAIN = [
  'view',
  'text',
  'label',
  'navigator',
  'scroll-view',
  'swiper',
  'swiper-item',
  'icon',
  'form',
  'block',
  'rich-text',
  'cover-view',
  'cover-image',
  'checkbox',
  'checkbox-group',
  'radio',
  'radio-group',
  'switch',
  'slider',
  'progress',
  'movable-area',
  'movable-view',
  'page-meta',
  'navigation-bar',
  'root-portal',
];

const hostDom = (self: any): HTMLElement | undefined => self._exparserNode?.$$;

/** A built-in tag, `<wx-name>` around its children, with what it needs beyond that (properties, behaviour). */
function builtIn(name: string, behaviour: Record<string, unknown> = {}): void {
  jComponent.register({ id: name, tagName: `wx-${name}`, template: '<slot/>', ...behaviour });
}

/** Built-ins: most are plain boxes styled by CSS; image, input and button need a little behaviour. */
function registerBuiltIns(): void {
  for (const name of BUILT_IN_PLAIN) builtIn(name);
  builtIn('image', {
    properties: {
      src: { type: String, value: '', observer: 'paint' },
      mode: { type: String, value: 'scaleToFill', observer: 'paint' },
    },
    lifetimes: {
      attached(this: any) {
        this.paint();
      },
    },
    methods: {
      paint(this: any) {
        const dom = hostDom(this);
        if (!dom) return;
        const mode = this.data.mode as string;
        dom.style.backgroundImage = this.data.src ? `url("${this.data.src}")` : '';
        dom.style.backgroundSize = mode === 'aspectFill' ? 'cover' : mode === 'aspectFit' ? 'contain' : '100% 100%';
      },
    },
  });
  builtIn('input', {
    properties: {
      value: { type: String, value: '', observer: 'sync' },
      placeholder: { type: String, value: '', observer: 'sync' },
      type: String,
      password: Boolean,
      disabled: Boolean,
      maxlength: { type: Number, value: 140 },
    },
    lifetimes: {
      attached(this: any) {
        const dom = hostDom(this);
        if (!dom) return;
        const field = document.createElement('input');
        field.className = 'pv-input';
        dom.appendChild(field);
        this._field = field;
        field.addEventListener('input', () =>
          this.triggerEvent('input', { value: field.value, cursor: field.value.length }),
        );
        field.addEventListener('change', () => this.triggerEvent('change', { value: field.value }));
        field.addEventListener('blur', () => this.triggerEvent('blur', { value: field.value }));
        field.addEventListener('focus', () => this.triggerEvent('focus', { value: field.value }));
        this.sync();
      },
    },
    methods: {
      sync(this: any) {
        const field = this._field as HTMLInputElement | undefined;
        if (!field) return;
        if (field.value !== this.data.value) field.value = this.data.value ?? '';
        field.placeholder = this.data.placeholder ?? '';
        field.type = this.data.password
          ? 'password'
          : this.data.type === 'number' || this.data.type === 'digit'
            ? 'number'
            : 'text';
        field.disabled = !!this.data.disabled;
        field.maxLength = this.data.maxlength > 0 ? this.data.maxlength : 524288;
      },
      /** What automator's `input.input` does: set the value as if typed. */
      typeText(this: any, value: string) {
        const field = this._field as HTMLInputElement;
        field.value = value;
        field.dispatchEvent(new Event('input'));
        field.dispatchEvent(new Event('change'));
        field.dispatchEvent(new Event('blur'));
      },
    },
  });
  // `canvas type="2d"`: a real HTML canvas inside the host; wx.createSelectorQuery().fields({ node: true }) returns it
  builtIn('canvas', {
    properties: { type: String, canvasId: String, disableScroll: Boolean },
    lifetimes: {
      attached(this: any) {
        const dom = hostDom(this);
        if (!dom || dom.querySelector(':scope > canvas.pv-canvas')) return;
        const canvas = document.createElement('canvas');
        canvas.className = 'pv-canvas';
        dom.appendChild(canvas);
      },
    },
  });
  // the picker's attributes are its properties, as automator's element.property() reads them
  builtIn('picker', {
    properties: {
      mode: { type: String, value: 'selector' },
      value: null,
      start: String,
      end: String,
      fields: { type: String, value: 'day' },
      range: Array,
      rangeKey: String,
      disabled: Boolean,
      headerText: String,
    },
  });
  builtIn('textarea', {
    properties: { value: String, placeholder: String },
  });
  builtIn('button', {
    properties: {
      type: String,
      size: String,
      plain: Boolean,
      disabled: Boolean,
      loading: Boolean,
      openType: String,
      formType: String,
      hoverClass: String,
      lang: String,
    },
    lifetimes: {
      attached(this: any) {
        this._exparserNode.addListener('tap', () => {
          if (this.data.openType === 'chooseAvatar') this.triggerEvent('chooseavatar', { avatarUrl: AVATAR });
        });
      },
    },
  });
}

const AVATAR = `data:image/svg+xml;utf8,${encodeURIComponent('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" fill="#d9c7c9"/><circle cx="32" cy="25" r="12" fill="#fff"/><rect x="12" y="42" width="40" height="22" rx="11" fill="#fff"/></svg>')}`;

function register(path: string): string {
  const known = registered.get(path);
  if (known) return known;
  const entry = pkg.components[path];
  if (!entry) throw new Error(`component not found: ${path}`);
  const id = `pv:${path}`;
  registered.set(path, id);
  for (const target of Object.values(entry.using)) register(target);
  const previous = loading;
  loading = { path, id };
  try {
    requireApp(path);
  } finally {
    loading = previous;
  }
  if (!jComponent.create) throw new Error('engine missing');
  return id;
}

function installGlobals(): void {
  g.Component = (options: any) => {
    const current = loading;
    if (!current) throw new Error('Component() called outside a component script');
    const entry = pkg.components[current.path]!;
    const usingComponents = Object.fromEntries(
      Object.entries(entry.using).map(([tag, target]) => [tag, `pv:${target}`]),
    );
    const definition = {
      ...options,
      id: current.id,
      path: current.path,
      template: entry.wxml,
      usingComponents,
      tagName: entry.tagName,
    };
    definition.options = { ...(options.options ?? {}), classPrefix: entry.prefix };
    // a component that uses itself (a condition tree): the engine compiles the template while registering and
    // looks each custom tag up by id, so the component's own id has to answer before registration ends
    if (Object.values(entry.using).includes(current.path) && !engineCache(current.id))
      engineCache(current.id, { id: current.id });
    jComponent.register(definition);
  };
  g.Behavior = (definition: any) => jComponent.behavior(definition);
}

export function loadPackage(p: AppPackage): void {
  pkg = p;
  g.__webview_engine_version__ = 0.02;
  installGlobals();
  registerBuiltIns();
  const style = document.createElement('style');
  style.id = 'pv-app-css';
  style.textContent = Object.values(p.components)
    .map((c) => c.css)
    .join('\n');
  document.head.appendChild(style);
}

/** Registers a page (and everything it uses) and returns its engine id. */
export const registerPage = (path: string): string => register(path);

export const appPackage = (): AppPackage => pkg;
