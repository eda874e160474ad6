import { call } from '../../services/cloud';

/**
 * Avatar and nickname from the platform's fill-in components, saved on the member. The avatar
 * arrives as a temporary local file; `updateProfile` takes only https:// or cloud:// URLs, so it
 * is uploaded to cloud storage first and the file ID is saved.
 */
export async function saveAvatar(tempPath: string, memberId: string): Promise<string> {
  const ext = (/\.(\w{2,4})$/.exec(tempPath)?.[1] ?? 'png').toLowerCase();
  const uploaded = await wx.cloud.uploadFile({
    cloudPath: `avatars/${memberId}/${Date.now().toString(36)}.${ext}`,
    filePath: tempPath,
  });
  const saved = await call('member', 'updateProfile', { avatarUrl: uploaded.fileID });
  return saved.avatarUrl ?? uploaded.fileID;
}

/** Trimmed to the contract's 32 characters; an empty nickname is not sent. */
export const cleanNickname = (value: string | undefined): string => (value ?? '').trim().slice(0, 32);

export async function saveNickname(nickname: string): Promise<string | null> {
  const saved = await call('member', 'updateProfile', { nickname });
  return saved.nickname;
}
