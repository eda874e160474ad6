/** A stored behaviour row: only the fields its kind has (rows are many; each is kept small). */
export interface BehaviourRow {
  _id: string;
  memberId: string | null;
  anonId?: string;
  kind: string;
  at: Date;
  via: string;
  page?: string;
  productId?: string;
  category?: string;
  query?: string;
}
