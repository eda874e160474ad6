import { unseen } from '../../../miniprogram/utils/paging';

test('a next page keeps only what the list does not show yet, in its own order', () => {
  const listed = [
    { id: 'a', label: 'A' },
    { id: 'b', label: 'B' },
  ];
  const next = [{ id: 'b' }, { id: 'd' }, { id: 'c' }];
  expect(unseen(listed, next, (x) => x.id)).toEqual([{ id: 'd' }, { id: 'c' }]);
  expect(unseen([], next, (x) => x.id)).toEqual(next);
});
