/*
 * What the room offers for video on this device, as pure functions of what the browser says about
 * itself (so the choices are unit-tested without a camera): which camera to open first, whether a
 * second one can be switched to, whether screen sharing exists at all.
 */

/** What the browser tells about the device, read once by `deviceTraits()`. */
export type DeviceTraits = {
  userAgent: string;
  /** `navigator.maxTouchPoints`: an iPad's Safari says "Macintosh" but has touch points. */
  maxTouchPoints: number;
  /** `navigator.userAgentData.mobile`, where the browser has it (Chromium). */
  mobileHint?: boolean;
  /** Whether `navigator.mediaDevices.getDisplayMedia` exists. */
  hasDisplayMedia: boolean;
};

export type Facing = 'user' | 'environment';

/** A phone or tablet: its main camera faces away from the user, and it cannot share its screen. */
export function isMobileDevice(device: DeviceTraits): boolean {
  if (device.mobileHint) return true;
  if (/Android|iPhone|iPad|iPod|Mobile|Silk|Kindle/i.test(device.userAgent)) return true;
  return /Macintosh/.test(device.userAgent) && device.maxTouchPoints > 1;
}

/**
 * "Share screen" only where it can work: phones have no getDisplayMedia (iOS) or one that fails
 * (Android Chrome exposes it on some versions but cannot capture the screen from a page).
 */
export function canShareScreen(device: DeviceTraits): boolean {
  return device.hasDisplayMedia && !isMobileDevice(device);
}

/**
 * The camera the call opens with. A customer on a phone shows the car, not their face: the rear
 * camera (`ideal`, so a device without one still opens whichever it has). Everyone else: the default.
 */
export function initialVideo(role: 'customer' | 'mechanic', device: DeviceTraits): MediaTrackConstraints | true {
  return role === 'customer' && isMobileDevice(device) ? { facingMode: { ideal: 'environment' } } : true;
}

/** The cameras among the devices (`enumerateDevices()`), in the browser's order. */
export function cameras(devices: readonly Pick<MediaDeviceInfo, 'kind' | 'deviceId'>[]) {
  return devices.filter((d) => d.kind === 'videoinput');
}

/** "Switch camera" is offered when there is another camera to switch to. */
export function canSwitchCamera(devices: readonly Pick<MediaDeviceInfo, 'kind' | 'deviceId'>[]): boolean {
  return cameras(devices).length > 1;
}

/**
 * The constraints for the other camera. A phone knows its cameras by the way they face: front ⇄
 * rear, exactly (`ideal` could hand back the same one). A computer with two webcams names no facing:
 * the next camera in the browser's list, by id. Null when there is nothing to switch to.
 */
export function nextCamera(
  devices: readonly Pick<MediaDeviceInfo, 'kind' | 'deviceId'>[],
  current: { deviceId?: string; facingMode?: string },
  device: DeviceTraits,
): MediaTrackConstraints | null {
  const list = cameras(devices);
  if (list.length < 2) return null;
  if (isMobileDevice(device) && (current.facingMode === 'user' || current.facingMode === 'environment')) {
    return { facingMode: { exact: current.facingMode === 'user' ? 'environment' : 'user' } };
  }
  return { deviceId: { exact: cameraAfter(devices, current.deviceId) } };
}

/** The id of the camera after `deviceId` in the list, wrapping around (the first if it is not listed). */
export function cameraAfter(devices: readonly Pick<MediaDeviceInfo, 'kind' | 'deviceId'>[], deviceId?: string) {
  const list = cameras(devices);
  const index = list.findIndex((d) => d.deviceId === deviceId);
  return list[(index + 1) % list.length]!.deviceId;
}

/** This browser's traits. */
export function deviceTraits(): DeviceTraits {
  const data: unknown = Reflect.get(navigator, 'userAgentData');
  const mobile = typeof data === 'object' && data !== null ? Reflect.get(data, 'mobile') : undefined;
  return {
    userAgent: navigator.userAgent,
    maxTouchPoints: navigator.maxTouchPoints ?? 0,
    mobileHint: mobile === true,
    hasDisplayMedia: typeof navigator.mediaDevices?.getDisplayMedia === 'function',
  };
}
