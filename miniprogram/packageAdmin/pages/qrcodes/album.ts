/** The code image as a local file, then into the album or the platform's image preview. */
export interface QrImage {
  qrcodeId: string;
  imageBase64: string;
}

const fileOf = (img: QrImage): string => `${wx.env.USER_DATA_PATH}/qrcode-${img.qrcodeId}.png`;

function writeImage(img: QrImage): Promise<string> {
  const filePath = fileOf(img);
  return new Promise((resolve, reject) => {
    wx.getFileSystemManager().writeFile({
      filePath,
      data: img.imageBase64,
      encoding: 'base64',
      success: () => resolve(filePath),
      fail: reject,
    });
  });
}

export type SaveResult = 'saved' | 'denied' | 'failed';

/** Writes the image and saves it; 'denied' when the person has refused the album permission. */
export async function saveToAlbum(img: QrImage): Promise<SaveResult> {
  let filePath: string;
  try {
    filePath = await writeImage(img);
  } catch {
    return 'failed';
  }
  return new Promise((resolve) => {
    wx.saveImageToPhotosAlbum({
      filePath,
      success: () => resolve('saved'),
      fail: (e: { errMsg?: string }) => resolve(/auth|deny|denied/i.test(e.errMsg ?? '') ? 'denied' : 'failed'),
    });
  });
}

/** Full-screen preview, where a long press offers "save" (no album permission needed up front). */
export async function previewImage(img: QrImage): Promise<boolean> {
  try {
    const filePath = await writeImage(img);
    wx.previewImage({ urls: [filePath], current: filePath });
    return true;
  } catch {
    return false;
  }
}
