import { memberContracts } from '../../core/contracts/member';
import { action, createFunction } from '../kit/router';
import { login } from '../members/login';

/** The `member` cloud function: identity and membership actions. */
export const memberFunction = createFunction({
  name: 'member',
  actions: {
    login: action(memberContracts.login, (_input, ctx) => login(ctx)),
  },
});
