/// <reference types="miniprogram-api-typings" />

/** The Mini Program's `App` instance as `getApp<IAppOption>()` returns it. */
interface IAppOption {
  globalData: {
    /** The launch as WeChat reported it: scene, path and query (the store QR's parameters). */
    launch?: import('../miniprogram/services/session').LaunchContext;
  };
}
