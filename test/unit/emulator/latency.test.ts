import { delayOf } from '../../../emulator/http/latency';

test('a fixed delay is the configured one; a spread draws uniformly around it and never below zero', () => {
  expect(delayOf(10)).toBe(10);
  expect(delayOf(0)).toBe(0);
  expect(delayOf(10, 4, () => 0)).toBe(6);
  expect(delayOf(10, 4, () => 1)).toBe(14);
  expect(delayOf(10, 4, () => 0.5)).toBe(10);
  expect(delayOf(2, 5, () => 0)).toBe(0);
});
