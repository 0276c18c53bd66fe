import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { accounts } from '../../../shared/contract';
import * as api from '../../lib/api';
import { realtime } from '../../lib/realtime';
import { cameraAfter, canShareScreen, canSwitchCamera, deviceTraits, initialVideo, nextCamera } from './camera';
import type { SignalListener } from './use-session';
import type { Photo } from './outbox';

/**
 * Every offer starts a new negotiation `round`; answers and candidates carry it. When both sides'
 * "ready" cross, the customer offers twice: without rounds, the answer to the first offer could be
 * applied to the second connection and the call would fail.
 */
type Signal =
  | { kind: 'ready' }
  | { kind: 'description'; round: string; description: RTCSessionDescriptionInit }
  | { kind: 'candidate'; round: string; candidate: RTCIceCandidateInit };

/** The other side's signal, if it is one: the server relays whatever the peer sent. */
function isSignal(data: unknown): data is Signal {
  if (typeof data !== 'object' || data === null) return false;
  const kind: unknown = Reflect.get(data, 'kind');
  if (kind === 'ready') return true;
  return (kind === 'description' || kind === 'candidate') && typeof Reflect.get(data, 'round') === 'string';
}

/**
 * 1:1 video over WebRTC, signalled through the session's realtime topic. The customer offers,
 * the mechanic answers; either side reloading sends "ready" and the call is set up afresh.
 *
 * On a phone the customer starts with the rear camera (they show the car) and can switch cameras
 * whenever the device has more than one: the new camera's track replaces the old one on the peer
 * connection (`RTCRtpSender.replaceTrack`), so the call goes on without a renegotiation. Phones
 * are not offered screen sharing, and can fold the video away to give the chat the screen.
 */
export function VideoCall(props: {
  sessionId: string;
  role: 'customer' | 'mechanic';
  signals: Set<SignalListener>;
  onSnapshot: (photo: Photo) => void;
}) {
  const { sessionId, role, signals } = props;
  const localVideo = useRef<HTMLVideoElement>(null);
  const remoteVideo = useRef<HTMLVideoElement>(null);
  const [state, setState] = useState<'starting' | 'waiting' | 'connected' | 'failed' | 'no-camera'>('starting');
  const [muted, setMuted] = useState(false);
  const [cameraOff, setCameraOff] = useState(false);
  const [sharing, setSharing] = useState(false);
  const [framesDecoded, setFramesDecoded] = useState(0);
  const [canSwitch, setCanSwitch] = useState(false);
  const [switching, setSwitching] = useState(false);
  const [cameraLabel, setCameraLabel] = useState('');
  const [hidden, setHidden] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const traits = useMemo(deviceTraits, []);
  const frameId = useId();
  const call = useRef<{
    pc?: RTCPeerConnection;
    stream?: MediaStream;
    screen?: MediaStream;
    ice: RTCIceServer[];
    round: string;
    queued: { round: string; candidate: RTCIceCandidateInit }[];
    /** A camera switch under way: connections wait for it, so that none is built on a stopped camera. */
    switching?: Promise<void>;
  }>({ ice: [], round: '', queued: [] });

  useEffect(() => {
    let stopped = false;
    const send = (data: Signal) => realtime.send({ type: 'rtc.signal', sessionId, data });

    const newConnection = (round: string) => {
      call.current.pc?.close();
      const pc = new RTCPeerConnection({ iceServers: call.current.ice });
      call.current.pc = pc;
      call.current.round = round;
      call.current.queued = call.current.queued.filter((q) => q.round === round);
      call.current.stream?.getTracks().forEach((track) => pc.addTrack(track, call.current.stream!));
      pc.onicecandidate = (e) => e.candidate && send({ kind: 'candidate', round, candidate: e.candidate.toJSON() });
      pc.ontrack = (e) => {
        if (remoteVideo.current && e.streams[0]) remoteVideo.current.srcObject = e.streams[0];
      };
      pc.onconnectionstatechange = () => {
        if (pc.connectionState === 'connected') setState('connected');
        if (pc.connectionState === 'failed') setState('failed');
      };
      return pc;
    };

    const onSignal = async (data: Signal) => {
      // Chromium sends nothing from a track that had already stopped when it was added, even once
      // replaced: a connection set up mid-switch would stay dark.
      await call.current.switching;
      if (data.kind === 'ready') {
        if (role === 'customer') {
          const round = crypto.randomUUID();
          const pc = newConnection(round);
          await pc.setLocalDescription(await pc.createOffer());
          if (call.current.round !== round) return; // a newer round started meanwhile
          send({ kind: 'description', round, description: pc.localDescription!.toJSON() });
        } else {
          send({ kind: 'ready' });
        }
      } else if (data.kind === 'description') {
        const isOffer = data.description.type === 'offer';
        if (!isOffer && data.round !== call.current.round) return; // the answer to an older offer
        const pc = isOffer ? newConnection(data.round) : call.current.pc;
        if (!pc) return;
        await pc.setRemoteDescription(data.description);
        for (const queued of call.current.queued.splice(0)) {
          if (queued.round === data.round) await pc.addIceCandidate(queued.candidate).catch(() => {});
        }
        if (isOffer) {
          await pc.setLocalDescription(await pc.createAnswer());
          send({ kind: 'description', round: data.round, description: pc.localDescription!.toJSON() });
        }
      } else if (data.kind === 'candidate') {
        const pc = call.current.pc;
        if (pc?.remoteDescription && data.round === call.current.round) {
          await pc.addIceCandidate(data.candidate).catch(() => {});
        } else if (data.round !== call.current.round || !pc?.remoteDescription) {
          call.current.queued.push({ round: data.round, candidate: data.candidate }); // its offer or answer is still on the way
        }
      }
    };
    const listener: SignalListener = (event) => {
      if (isSignal(event.data)) void onSignal(event.data).catch(() => setState('failed'));
    };
    signals.add(listener);

    const countCameras = async () => {
      const devices = await navigator.mediaDevices.enumerateDevices().catch(() => []);
      if (!stopped) setCanSwitch(canSwitchCamera(devices));
    };
    navigator.mediaDevices?.addEventListener?.('devicechange', countCameras);

    (async () => {
      const config = await api.call(accounts.rtcConfig).catch(() => ({ iceServers: [] }));
      call.current.ice = config.iceServers;
      try {
        call.current.stream = await navigator.mediaDevices.getUserMedia({
          video: initialVideo(role, traits),
          audio: true,
        });
      } catch {
        if (!stopped) setState('no-camera');
        return;
      }
      if (stopped) return call.current.stream.getTracks().forEach((t) => t.stop());
      if (localVideo.current) localVideo.current.srcObject = call.current.stream;
      setCameraLabel(call.current.stream.getVideoTracks()[0]?.label ?? '');
      setState('waiting');
      send({ kind: 'ready' });
      // Device labels and the full list are only there once the camera was allowed.
      await countCameras();
    })();

    const stats = setInterval(async () => {
      const pc = call.current.pc;
      if (!pc) return;
      const report = await pc.getStats();
      report.forEach((s) => {
        if (s.type === 'inbound-rtp' && s.kind === 'video') setFramesDecoded(s.framesDecoded ?? 0);
      });
    }, 1000);

    return () => {
      stopped = true;
      navigator.mediaDevices?.removeEventListener?.('devicechange', countCameras);
      clearInterval(stats);
      signals.delete(listener);
      call.current.pc?.close();
      call.current.stream?.getTracks().forEach((t) => t.stop());
      call.current.screen?.getTracks().forEach((t) => t.stop());
    };
  }, [sessionId, role, signals, traits]);

  const toggleMute = () => {
    call.current.stream?.getAudioTracks().forEach((t) => (t.enabled = muted));
    setMuted(!muted);
  };
  const toggleCamera = () => {
    call.current.stream?.getVideoTracks().forEach((t) => (t.enabled = cameraOff));
    setCameraOff(!cameraOff);
  };
  /** The camera's track now (it changes when the user switches cameras). */
  const cameraTrack = () => call.current.stream?.getVideoTracks()[0];
  const videoSender = () => call.current.pc?.getSenders().find((s) => s.track?.kind === 'video');

  const toggleShare = async () => {
    const sender = videoSender();
    if (sharing) {
      call.current.screen?.getTracks().forEach((t) => t.stop());
      const camera = cameraTrack();
      if (sender && camera) await sender.replaceTrack(camera);
      setSharing(false);
      return;
    }
    try {
      const screen = await navigator.mediaDevices.getDisplayMedia({ video: true });
      call.current.screen = screen;
      const track = screen.getVideoTracks()[0]!;
      if (sender) await sender.replaceTrack(track);
      track.onended = () => {
        const camera = cameraTrack();
        if (camera) void sender?.replaceTrack(camera);
        setSharing(false);
      };
      setSharing(true);
    } catch {
      /* the user closed the picker */
    }
  };

  /**
   * Front ⇄ rear on a phone, the next webcam on a computer. The other camera is opened while this
   * one still runs where the device allows it; a phone that opens one camera at a time gets it once
   * this one is stopped, and if it still will not open, this one is opened again.
   */
  const switchCamera = async () => {
    const stream = call.current.stream;
    const old = cameraTrack();
    if (!stream || !old || call.current.switching) return;
    setSwitching(true);
    setProblem(null);
    const work = replaceCamera(stream, old);
    call.current.switching = work;
    try {
      await work;
    } finally {
      call.current.switching = undefined;
      setSwitching(false);
    }
  };

  const replaceCamera = async (stream: MediaStream, old: MediaStreamTrack) => {
    const devices = await navigator.mediaDevices.enumerateDevices().catch(() => []);
    const settings = old.getSettings();
    const wanted = nextCamera(devices, settings, traits);
    if (!wanted) return setCanSwitch(false);
    const attempts = [wanted, { deviceId: { exact: cameraAfter(devices, settings.deviceId) } }];
    const firstThatOpens = async (list: MediaTrackConstraints[]) => {
      for (const video of list) {
        const track = await navigator.mediaDevices
          .getUserMedia({ video })
          .then((s) => s.getVideoTracks()[0])
          .catch(() => undefined);
        if (track) return track;
      }
      return undefined;
    };
    let next = await firstThatOpens(attempts);
    if (!next) {
      old.stop();
      next = await firstThatOpens(
        settings.deviceId ? [...attempts, { deviceId: { exact: settings.deviceId } }] : attempts,
      );
    }
    if (!next) return setProblem('The camera could not be switched. Reload the page to start it again.');
    if (next.getSettings().deviceId === settings.deviceId) setProblem('The other camera could not be opened.');
    next.enabled = !cameraOff;
    stream.removeTrack(old);
    stream.addTrack(next);
    // While the screen is shared the sender carries the screen: the new camera comes back after it.
    if (!sharing) await videoSender()?.replaceTrack(next);
    old.stop();
    if (localVideo.current) localVideo.current.srcObject = stream;
    setCameraLabel(next.label);
  };

  const snapshot = async () => {
    const video = remoteVideo.current?.videoWidth ? remoteVideo.current : localVideo.current;
    if (!video?.videoWidth) return;
    const canvas = document.createElement('canvas');
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    canvas.getContext('2d')!.drawImage(video, 0, 0);
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.85));
    if (blob) props.onSnapshot({ file: blob, name: `snapshot-${Date.now()}.jpg` });
  };

  const control = 'btn-secondary min-h-11';
  return (
    <section aria-label="Video call" className="card space-y-3">
      <div id={frameId} className={`relative overflow-hidden rounded-lg bg-slate-900 ${hidden ? 'hidden' : ''}`}>
        <video
          ref={remoteVideo}
          autoPlay
          playsInline
          className="aspect-video w-full"
          data-testid="remote-video"
          data-frames={framesDecoded}
          aria-label="The other participant’s video"
        />
        <video
          ref={localVideo}
          autoPlay
          playsInline
          muted
          className="absolute right-2 bottom-2 w-1/3 rounded border-2 border-white sm:w-1/4"
          data-testid="local-video"
          data-camera={cameraLabel}
          aria-label="Your video"
        />
        {state !== 'connected' && (
          <p
            className="absolute inset-0 flex items-center justify-center px-4 text-center text-sm text-white"
            role="status"
          >
            {state === 'starting'
              ? 'Starting your camera…'
              : state === 'waiting'
                ? 'Waiting for the other side to connect…'
                : state === 'no-camera'
                  ? 'Camera or microphone not available — you can still chat.'
                  : 'The video connection failed. Reload to try again.'}
          </p>
        )}
      </div>
      {problem && (
        <p role="alert" className="text-sm text-red-800">
          {problem}
        </p>
      )}
      <div className="flex flex-wrap gap-2">
        <button className={control} onClick={toggleMute} aria-pressed={muted}>
          {muted ? 'Unmute' : 'Mute'}
        </button>
        <button className={control} onClick={toggleCamera} aria-pressed={cameraOff}>
          {cameraOff ? 'Camera on' : 'Camera off'}
        </button>
        {canSwitch && (
          <button className={control} onClick={() => void switchCamera()} disabled={switching}>
            {switching ? 'Switching…' : 'Switch camera'}
          </button>
        )}
        {canShareScreen(traits) && (
          <button className={control} onClick={() => void toggleShare()} aria-pressed={sharing}>
            {sharing ? 'Stop sharing' : 'Share screen'}
          </button>
        )}
        <button className={control} onClick={() => void snapshot()}>
          Snapshot to chat
        </button>
        <button
          className={`${control} lg:hidden`}
          onClick={() => setHidden(!hidden)}
          aria-expanded={!hidden}
          aria-controls={frameId}
        >
          {hidden ? 'Show video' : 'Hide video'}
        </button>
      </div>
    </section>
  );
}
