/**
 * One page body in one of four states: loading, error (with a retry button that fires `retry`),
 * empty, or ready (the default slot). Pages pass their own text so the language follows them.
 */
Component({
  options: { styleIsolation: 'apply-shared' },
  properties: {
    status: { type: String, value: 'loading' },
    message: { type: String, value: '' },
    loadingText: { type: String, value: '加载中…' },
    retryText: { type: String, value: '重试' },
    emptyText: { type: String, value: '' },
    emptyHint: { type: String, value: '' },
  },
  methods: {
    onRetry() {
      this.triggerEvent('retry');
    },
  },
});
