/** Ways a CSV leaves the phone: the clipboard everywhere, a file opened by the system where the platform has one. */
export function copyText(data: string): Promise<void> {
  return new Promise((resolve, reject) => wx.setClipboardData({ data, success: () => resolve(), fail: reject }));
}

const userDir = (): string | undefined => (typeof wx.env === 'object' ? wx.env.USER_DATA_PATH : undefined);

/** The file system and the document viewer exist (not in every preview or test). */
export const canSaveFile = (): boolean =>
  typeof wx.getFileSystemManager === 'function' && typeof wx.openDocument === 'function' && !!userDir();

/** Writes the CSV (with a BOM, so spreadsheet apps read the Chinese) and offers it; answers the file name. */
export function saveFile(name: string, csv: string): Promise<string> {
  const filePath = `${userDir()}/${name}`;
  return new Promise((resolve, reject) => {
    wx.getFileSystemManager().writeFile({
      filePath,
      data: `\ufeff${csv}`,
      encoding: 'utf8',
      // the viewer may not open CSV on every phone; the file is saved either way
      success: () => wx.openDocument({ filePath, showMenu: true, complete: () => resolve(name) }),
      fail: reject,
    });
  });
}
