import { playMemberStory, type MemberStory } from '../scripts/seed/demo-story';

export interface PersonaStories {
  member: MemberStory;
}

/**
 * The personas' past, made through the product's own actions on a running emulator (no documents
 * written by hand): the member persona logs in, claims her card and has her POS and Tmall orders
 * synced, signed, so her balance, history and tier come from the ledger. The visitor and friend start
 * unknown; the staff personas are in the demo brand's `staff`.
 */
export async function playPersonaStories(emulator: { url: string }): Promise<PersonaStories> {
  return { member: await playMemberStory(emulator) };
}
