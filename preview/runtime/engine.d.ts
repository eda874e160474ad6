/** The engine packages ship no (usable) types for what the runtime touches; it treats them as untyped. */
declare module 'j-component' {
  const jComponent: {
    register(definition: object): string;
    behavior(definition: object): string;
    create(id: string, properties?: object): any;
  };
  export default jComponent;
}
declare module 'j-component/src/tool/utils' {
  /** The engine's registry of components by id: `cache(id)` reads, `cache(id, manager)` writes. */
  export function cache(id: string, manager?: object): any;
}
declare module 'miniprogram-exparser' {
  const exparser: any;
  export default exparser;
}
