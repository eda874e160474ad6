import { createFunction } from '../kit/router';
import { oaCallback } from '../identity/oa-callback';
import { httpRouter } from '../http/signed';

/** The `oa` cloud function: the Official Account's server URL (HTTP access `/http/oa/callback`). */
export const oaFunction = createFunction({
  name: 'oa',
  actions: {},
  http: httpRouter({ '* /http/oa/callback': oaCallback }),
});
