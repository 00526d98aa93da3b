/** The camera adapter in real Chromium with its fake camera (test/chromium.ts flags: a moving test pattern, no prompt). */
import { describe, expect, it } from 'vitest';
import { closeCamera, grabFrame, openCamera } from './camera.ts';

describe('camera in the browser', () => {
  it('opens the fake camera and grabs a frame as a JPEG file the image inputs take', async () => {
    const stream = await openCamera();
    const video = document.createElement('video');
    video.muted = true;
    video.srcObject = stream;
    await video.play();
    try {
      const file = await grabFrame(video, new Date('2026-12-07T22:15:30Z'));
      expect(file.name).toBe('camera-2026-12-07-22-15-30.jpg');
      expect(file.type).toBe('image/jpeg');
      const bitmap = await createImageBitmap(file);
      expect([bitmap.width, bitmap.height]).toEqual([video.videoWidth, video.videoHeight]);
      expect(bitmap.width).toBeGreaterThan(0);
      // Not a blank frame: the fake camera draws a pattern, so pixels vary.
      const ctx = new OffscreenCanvas(bitmap.width, bitmap.height).getContext('2d')!;
      ctx.drawImage(bitmap, 0, 0);
      const px = ctx.getImageData(0, 0, bitmap.width, bitmap.height).data;
      let min = 255;
      let max = 0;
      for (let i = 0; i < px.length; i += 4 * 97) {
        min = Math.min(min, px[i + 1]!);
        max = Math.max(max, px[i + 1]!);
      }
      expect(max - min).toBeGreaterThan(30);
    } finally {
      closeCamera(stream);
    }
    expect(stream.getTracks().every((t) => t.readyState === 'ended')).toBe(true);
  });
});
