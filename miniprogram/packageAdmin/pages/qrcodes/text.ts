import type { PageText, PageTexts } from '../../../utils/page-text';
import en from './en.json';
import zh from './zh.json';

/** Text of the QR code page, Chinese first; en has the same keys. */
export type QrText = PageText<typeof zh>;
export const texts: PageTexts<QrText> = { zh, en };
