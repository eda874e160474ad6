import { errorText, stopPullDown, type Status } from '../utils/view-state';

/**
 * What a page using `loadable` defines. `fetch` reads the page's content and sets it, answering
 * whether there is anything to show (undefined: the page asked for something else meanwhile, so this
 * answer changes nothing); `refresh` is true when the person pulled down or retried, asking for fresh
 * data. A paged page also defines `fetchMore`, which appends the next page; both set `hasMore`.
 * `errorMessage` words a failed load the page's own way (undefined: the usual text for its code).
 */
export interface LoadableHost {
  fetch(refresh: boolean): Promise<boolean | undefined>;
  fetchMore?(): Promise<void>;
  errorMessage?(err: unknown): string | undefined;
}

/**
 * Load, pull-down refresh, retry after an error and the next page at the bottom, with the status
 * `state-view` shows (loading, error with its message, empty, ready). A page's own method of the
 * same name wins over the behaviour's, as the framework merges them.
 */
export const loadable = Behavior({
  data: { status: 'loading' as Status, message: '', hasMore: false, loadingMore: false, moreError: '' },
  methods: {
    async load(refresh = false): Promise<void> {
      const host = this as unknown as LoadableHost;
      try {
        const any = await host.fetch(refresh);
        if (any !== undefined) this.setData({ status: any ? 'ready' : 'empty', message: '', moreError: '' });
      } catch (err) {
        this.setData({ status: 'error', message: host.errorMessage?.(err) ?? errorText(err) });
      }
    },
    // the promises are returned for callers that wait (tests); the framework ignores them
    onPullDownRefresh(): Promise<void> {
      return this.load(true).then(stopPullDown);
    },
    retry(): void {
      this.setData({ status: 'loading', message: '' });
      void this.load(true);
    },
    onReachBottom(): Promise<void> {
      return this.more();
    },
    async more(): Promise<void> {
      const host = this as unknown as LoadableHost;
      if (!host.fetchMore || !this.data.hasMore || this.data.loadingMore || this.data.status !== 'ready') return;
      this.setData({ loadingMore: true, moreError: '' });
      try {
        await host.fetchMore();
      } catch (err) {
        this.setData({ moreError: errorText(err) });
      } finally {
        this.setData({ loadingMore: false });
      }
    },
  },
});
