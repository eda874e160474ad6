/**
 * Behaviour kinds: what a person does in the Mini Program or on the brand's website (a page or product
 * seen, a cart addition, a share, a search). They are stored in `behaviour`, not in `events`: they come
 * in large numbers and are kept a shorter time. A cart addition by a known person is also the domain
 * event `cart.item_added`, which journeys trigger on.
 */
export const BEHAVIOUR_KINDS = ['page_view', 'product_view', 'add_to_cart', 'share', 'search'] as const;
export type BehaviourKind = (typeof BEHAVIOUR_KINDS)[number];

/** Kinds that name a product (and so a category the interests count). */
export const PRODUCT_KINDS: ReadonlySet<BehaviourKind> = new Set(['product_view', 'add_to_cart', 'share']);
