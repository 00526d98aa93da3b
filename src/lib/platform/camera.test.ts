import { describe, expect, it } from 'vitest';
import { CameraError, cameraMessage, openCamera } from './camera.ts';

const refusing = (name: string) => ({
  getUserMedia: () => Promise.reject(new DOMException('denied by test', name)),
});

describe('camera adapter', () => {
  it('says in plain words why the camera did not open', async () => {
    await expect(openCamera(refusing('NotAllowedError'))).rejects.toThrow(
      /not allowed\. Allow it for this site/,
    );
    await expect(openCamera(refusing('NotFoundError'))).rejects.toThrow(/No camera was found/);
    await expect(openCamera(refusing('NotReadableError'))).rejects.toThrow(/in use by another/);
    await expect(openCamera(refusing('WeirdError'))).rejects.toThrow(
      'The camera could not be opened (denied by test).',
    );
    await expect(openCamera(refusing('NotAllowedError'))).rejects.toBeInstanceOf(CameraError);
  });

  it('says when the browser gives no camera access at all', async () => {
    await expect(openCamera(undefined)).rejects.toThrow(/no camera access|secure page/);
  });

  it('asks for video only, and hands back the stream it got', async () => {
    let asked: MediaStreamConstraints | undefined;
    const stream = { id: 'fake' } as unknown as MediaStream;
    const got = await openCamera({
      getUserMedia: (c?: MediaStreamConstraints) => ((asked = c), Promise.resolve(stream)),
    });
    expect(got).toBe(stream);
    expect(asked?.audio).toBe(false);
    expect(asked?.video).toBeTruthy();
  });

  it('maps errors that are not DOMExceptions too', () => {
    expect(cameraMessage(new Error('boom'))).toBe('The camera could not be opened (boom).');
    expect(cameraMessage('x')).toBe('The camera could not be opened.');
  });
});
