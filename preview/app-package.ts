/** What the browser runtime loads: the built Mini Program with WXML resolved and WXSS compiled per component. */
export interface ComponentEntry {
  /** Class prefix the engine writes before this component's class names. */
  prefix: string;
  /** DOM tag of the host (the `usingComponents` key it was first reached by; `wx-page` for pages). */
  tagName: string;
  /** `usingComponents`, values resolved to app paths (`components/state-view/index`). */
  using: Record<string, string>;
  json: Record<string, unknown>;
  wxml: string;
  css: string;
}

export interface AppPackage {
  appJson: {
    pages: string[];
    window?: Record<string, unknown>;
    tabBar?: {
      color?: string;
      selectedColor?: string;
      backgroundColor?: string;
      list: { pagePath: string; text: string }[];
    };
  };
  components: Record<string, ComponentEntry>;
  /** Every script of the app by path without `.js`. */
  scripts: Record<string, string>;
}
