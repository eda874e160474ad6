/** The languages the app speaks: Chinese first, English. */
export type Lang = 'zh' | 'en';
