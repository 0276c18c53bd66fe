import { describe, expect, it } from 'vitest';
import { canShareScreen, canSwitchCamera, initialVideo, isMobileDevice, nextCamera, type DeviceTraits } from './camera';

const PIXEL =
  'Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36';
const IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
const MAC =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15';
const LINUX = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';

const device = (userAgent: string, more: Partial<DeviceTraits> = {}): DeviceTraits => ({
  userAgent,
  maxTouchPoints: 0,
  hasDisplayMedia: true,
  ...more,
});
const camera = (deviceId: string) => ({ kind: 'videoinput' as const, deviceId });
const microphone = (deviceId: string) => ({ kind: 'audioinput' as const, deviceId });

describe('which devices are phones', () => {
  it('Android and iPhone user agents, an iPad that says Macintosh, and Chromium’s own mobile hint', () => {
    expect(isMobileDevice(device(PIXEL))).toBe(true);
    expect(isMobileDevice(device(IPHONE))).toBe(true);
    expect(isMobileDevice(device(MAC, { maxTouchPoints: 5 }))).toBe(true);
    expect(isMobileDevice(device(LINUX, { mobileHint: true }))).toBe(true);
  });

  it('a desktop browser is not, touch screen or not', () => {
    expect(isMobileDevice(device(MAC))).toBe(false);
    expect(isMobileDevice(device(LINUX, { maxTouchPoints: 10 }))).toBe(false);
  });
});

describe('share screen', () => {
  it('is offered on a desktop browser that has getDisplayMedia', () => {
    expect(canShareScreen(device(LINUX))).toBe(true);
  });

  it('is not offered without getDisplayMedia, nor on a phone even if it has one', () => {
    expect(canShareScreen(device(LINUX, { hasDisplayMedia: false }))).toBe(false);
    expect(canShareScreen(device(PIXEL))).toBe(false);
    expect(canShareScreen(device(IPHONE, { hasDisplayMedia: false }))).toBe(false);
  });
});

describe('the camera the call opens with', () => {
  it('a customer on a phone starts with the rear camera, preferred not required', () => {
    expect(initialVideo('customer', device(PIXEL))).toEqual({ facingMode: { ideal: 'environment' } });
  });

  it('a customer on a computer and a mechanic anywhere get the default camera', () => {
    expect(initialVideo('customer', device(LINUX))).toBe(true);
    expect(initialVideo('mechanic', device(PIXEL))).toBe(true);
  });
});

describe('switch camera', () => {
  it('is offered with two cameras or more, not with one (microphones do not count)', () => {
    expect(canSwitchCamera([camera('a'), microphone('m')])).toBe(false);
    expect(canSwitchCamera([])).toBe(false);
    expect(canSwitchCamera([camera('a'), microphone('m'), camera('b')])).toBe(true);
  });

  it('on a phone flips the facing exactly: rear to front and back', () => {
    const both = [camera('front'), camera('rear')];
    expect(nextCamera(both, { deviceId: 'rear', facingMode: 'environment' }, device(PIXEL))).toEqual({
      facingMode: { exact: 'user' },
    });
    expect(nextCamera(both, { deviceId: 'front', facingMode: 'user' }, device(IPHONE))).toEqual({
      facingMode: { exact: 'environment' },
    });
  });

  it('on a computer, or a camera that names no facing, goes to the next camera by id, wrapping around', () => {
    const three = [camera('a'), microphone('m'), camera('b'), camera('c')];
    expect(nextCamera(three, { deviceId: 'a' }, device(LINUX))).toEqual({ deviceId: { exact: 'b' } });
    expect(nextCamera(three, { deviceId: 'c' }, device(LINUX))).toEqual({ deviceId: { exact: 'a' } });
    expect(nextCamera(three, { deviceId: 'b', facingMode: 'user' }, device(LINUX))).toEqual({
      deviceId: { exact: 'c' },
    });
    expect(nextCamera(three, { deviceId: 'a' }, device(PIXEL))).toEqual({ deviceId: { exact: 'b' } });
    expect(nextCamera(three, {}, device(LINUX))).toEqual({ deviceId: { exact: 'a' } });
  });

  it('has nothing to switch to with a single camera', () => {
    expect(nextCamera([camera('a')], { deviceId: 'a', facingMode: 'user' }, device(PIXEL))).toBeNull();
  });
});
