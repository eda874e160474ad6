/** The part of uCharts the chart uses (the package ships no types). */
declare module '@qiun/ucharts' {
  export default class UCharts {
    constructor(options: object & { context: unknown });
    /** 'renderComplete' fires once the chart is on the canvas (uCharts draws on a timer, even without animation). */
    addEventListener(type: 'renderComplete', listener: () => void): void;
  }
}
