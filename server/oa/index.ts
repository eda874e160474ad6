export { userInfo, type OaUserInfo, type OaClientOptions } from './user-info';
export { accessToken, OA_TOKENS } from './token';
export { oaCredentials, type OaCredentials, OA_APP_ID, OA_APP_SECRET, WECHAT_API_BASE } from './config';
export { OaApiError } from './errors';
export { decideToken, REFRESH_EARLY_MS, type CachedToken, type TokenDecision } from './token-cache';
export { oaMessenger, OA_TEMPLATE_SEND, OA_CUSTOM_SEND, type OaMessenger, type OaMessageApi } from './messages';
