import type { Dict } from './zh';

export const en: Dict = {
  common: {
    loading: 'Loading…',
    errorTitle: 'Could not load',
    networkError: 'The network is unsteady, please try again',
    retry: 'Retry',
    soon: 'Coming soon',
  },
  tab: { home: 'Home', coupons: 'Coupons', appointments: 'Bookings', me: 'Me' },
  home: {
    welcome: 'Welcome to {brand}',
    claimTitle: 'Become a member',
    claimHint: 'Claim your card for points and member offers',
    claimCta: 'Claim membership card',
    cardTitle: 'Membership card',
    tier: 'Tier',
    points: 'Points',
    cardNo: 'Card no.',
    notYet: '—',
  },
  coupons: { title: 'My coupons', empty: 'No coupons yet', emptyHint: 'Coupons you claim will show up here' },
  appointments: { title: 'My bookings', empty: 'No bookings yet', emptyHint: 'Services you book will show up here' },
  me: {
    title: 'Me',
    avatar: 'Avatar',
    chooseAvatar: 'Choose avatar',
    nickname: 'Nickname',
    nicknamePlaceholder: 'Tap to enter a nickname',
    language: 'Language',
    staffEntry: 'Staff entrance',
    staffSoon: 'Staff tools are coming soon',
    visitor: 'Visitor',
    member: 'Member',
  },
  lang: { zh: '中文', en: 'English' },
};
