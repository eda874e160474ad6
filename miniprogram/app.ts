import { brand } from './config/brand';
import { applyTabBar, getLang } from './i18n/index';
import { startSession } from './services/session';
import { flush } from './services/tracker';

/**
 * Launch: initialise the cloud, pick the language, and start the one login call that every page
 * awaits. A failed login is not fatal here: the pages show their error state and a retry.
 */
App<IAppOption>({
  globalData: {},
  onLaunch(options) {
    wx.cloud.init({ ...(brand.envId ? { env: brand.envId } : {}), traceUser: true });
    this.globalData.launch = { scene: options.scene, path: options.path, query: options.query };
    const lang = getLang();
    wx.setNavigationBarTitle({ title: brand.name[lang], fail: () => undefined });
    wx.setTabBarStyle({ selectedColor: brand.colors.primary, fail: () => undefined });
    applyTabBar();
    startSession(this.globalData.launch).catch(() => undefined);
  },
  onHide() {
    void flush();
  },
});
