/** HTTP access routes (CloudBase HTTP access service): path → function. Deploy creates the same. */
export const httpRoutes: { path: string; fn: string }[] = [];
