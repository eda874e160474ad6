export { userInfo } from './user-info';
export { OaApiError } from './errors';
export { oaMessenger, OA_TEMPLATE_SEND, OA_CUSTOM_SEND, type OaMessenger } from './messages';
