/** Registered members `m_<openid>`, each with its Mini Program identity: the documents as stored, for bulk set-up. */
export function registeredMembers(openids: string[], at: Date) {
  const ids = openids.map((o) => `m_${o}`);
  const member = (o: string, i: number) => ({
    _id: ids[i]!,
    state: 'member',
    openid: o,
    firstSeenAt: at,
    lastSeenAt: at,
    createdAt: at,
  });
  const identity = (o: string, i: number) => ({
    _id: `mp_openid:${o}`,
    type: 'mp_openid',
    value: o,
    memberId: ids[i]!,
    linkedAt: at,
  });
  return { ids, members: openids.map(member), identities: openids.map(identity) };
}
