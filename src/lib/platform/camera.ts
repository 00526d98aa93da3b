/**
 * The device camera (getUserMedia), the one adapter for it: open a stream with a plain-words
 * error for each way it can fail, and grab one frame as a JPEG file that every image input of
 * the studio already takes (Predict's drop, Style's pickers).
 */

/** A refusal or failure to open the camera, with a message for the user. */
export class CameraError extends Error {
  override readonly name = 'CameraError';
}

/** The user's message for a getUserMedia failure (DOMException names per the Media Capture spec). */
export function cameraMessage(e: unknown): string {
  const name = e instanceof DOMException || e instanceof Error ? e.name : '';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return 'The camera was not allowed. Allow it for this site in the browser’s address bar, then try again.';
    case 'NotFoundError':
    case 'OverconstrainedError':
      return 'No camera was found on this device.';
    case 'NotReadableError':
    case 'AbortError':
      return 'The camera is in use by another application, or the system refused it. Close the other application and try again.';
    default:
      return `The camera could not be opened${e instanceof Error && e.message ? ` (${e.message})` : ''}.`;
  }
}

/** Opens the camera (the back one on phones, where there is a choice). */
export async function openCamera(
  media: Pick<MediaDevices, 'getUserMedia'> | undefined = globalThis.navigator?.mediaDevices,
): Promise<MediaStream> {
  if (!media?.getUserMedia)
    throw new CameraError(
      globalThis.isSecureContext === false
        ? 'The camera needs a secure page (https or localhost); this one is not.'
        : 'This browser gives web pages no camera access.',
    );
  try {
    return await media.getUserMedia({
      video: { facingMode: 'environment', width: { ideal: 1280 }, height: { ideal: 1280 } },
      audio: false,
    });
  } catch (e) {
    throw new CameraError(cameraMessage(e));
  }
}

/** Stops every track of a stream (the camera light goes off). */
export function closeCamera(stream: MediaStream | null | undefined): void {
  for (const t of stream?.getTracks() ?? []) t.stop();
}

/** The video's current frame as a JPEG file named by the time it was taken. */
export async function grabFrame(video: HTMLVideoElement, now = new Date()): Promise<File> {
  const { videoWidth: w, videoHeight: h } = video;
  if (!w || !h) throw new CameraError('The camera has not delivered a picture yet; try again.');
  const canvas = document.createElement('canvas');
  canvas.width = w;
  canvas.height = h;
  canvas.getContext('2d')!.drawImage(video, 0, 0, w, h);
  const blob = await new Promise<Blob | null>((resolve) =>
    canvas.toBlob(resolve, 'image/jpeg', 0.92),
  );
  if (!blob) throw new CameraError('The camera picture could not be encoded.');
  const stamp = now.toISOString().slice(0, 19).replace(/[:T]/g, '-');
  return new File([blob], `camera-${stamp}.jpg`, { type: 'image/jpeg' });
}
