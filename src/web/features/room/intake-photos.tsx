import { useEffect, useId, useState } from 'react';
import { chat, fillPath, type Attachment } from '../../../shared/contract';
import { INTAKE_PHOTO_LIMITS, intakePhotosProblem } from '../../../shared/photos';
import { useEndpoint } from '../../lib/use-endpoint';
import { PhotoPicker } from '../../components/photo-picker';
import { failedPhotosKey, uploadIntakePhotos } from './intake-photo-upload';

const urlOf = (photo: Attachment) => fillPath(chat.download.path, { id: photo.id });

/**
 * Photos from the request: what the customer added before a mechanic accepted. They are the
 * server's from the start, so a reload or a phone closing the tab loses none of them. The
 * customer may add more while the request waits (`canAdd`); a queue card polls for a short while
 * (`pollUntil`), since the photos arrive just after the request appears in the queue.
 */
export function IntakePhotos({
  sessionId,
  canAdd = false,
  compact = false,
  pollUntil,
}: {
  sessionId: string;
  canAdd?: boolean;
  compact?: boolean;
  /** ISO time until which to look again every few seconds for photos still arriving. */
  pollUntil?: string;
}) {
  const loaded = useEndpoint(chat.intakePhotos, { params: { id: sessionId } });
  const photos = loaded.data?.items ?? [];
  const { reload } = loaded;
  useEffect(() => {
    if (!pollUntil) return;
    const timer = setInterval(() => {
      if (Date.now() > Date.parse(pollUntil)) clearInterval(timer);
      else void reload();
    }, 5000);
    return () => clearInterval(timer);
  }, [pollUntil, reload]);

  if (compact) {
    if (photos.length === 0) return null;
    return (
      <ul
        className="flex flex-wrap gap-1.5"
        aria-label={`${photos.length} photo${photos.length === 1 ? '' : 's'} from the customer`}
      >
        {photos.map((photo, index) => (
          <li key={photo.id}>
            <a href={urlOf(photo)} target="_blank" rel="noreferrer" className="block">
              <img
                src={urlOf(photo)}
                alt={`Customer’s photo ${index + 1}: ${photo.filename}`}
                className="h-14 w-14 rounded-md border border-slate-200 object-cover"
                loading="lazy"
              />
            </a>
          </li>
        ))}
      </ul>
    );
  }

  if (!canAdd && photos.length === 0) return null;
  return (
    <section className="card space-y-3 text-left" aria-labelledby={`intake-photos-${sessionId}`}>
      <h2 id={`intake-photos-${sessionId}`} className="text-sm font-semibold text-slate-700">
        Photos from the request
        {photos.length > 0 && <span className="font-normal text-slate-500"> · {photos.length}</span>}
      </h2>
      {photos.length > 0 ? (
        <ul className="grid grid-cols-3 gap-2 sm:grid-cols-6">
          {photos.map((photo, index) => (
            <li key={photo.id}>
              <a href={urlOf(photo)} target="_blank" rel="noreferrer" className="block">
                <img
                  src={urlOf(photo)}
                  alt={`Photo ${index + 1} from the request: ${photo.filename}`}
                  className="aspect-square w-full rounded-lg border border-slate-200 object-cover"
                  loading="lazy"
                />
              </a>
            </li>
          ))}
        </ul>
      ) : (
        loaded.data && <p className="text-sm text-slate-600">No photos yet.</p>
      )}
      {loaded.error && <p className="text-sm text-red-700">The photos could not be loaded. Refresh to try again.</p>}
      {canAdd && loaded.data && <AddPhotos sessionId={sessionId} count={photos.length} onAdded={() => void reload()} />}
    </section>
  );
}

/** On the waiting page: more photos, straight to the request (and what the intake could not send). */
function AddPhotos({ sessionId, count, onAdded }: { sessionId: string; count: number; onAdded: () => void }) {
  const hintId = useId();
  const [problem, setProblem] = useState<string | null>(() => {
    const failed = Number(sessionStorage.getItem(failedPhotosKey(sessionId)) ?? 0);
    return failed > 0
      ? `${failed === 1 ? 'One photo' : `${failed} photos`} could not be added with your request. You can add ${failed === 1 ? 'it' : 'them'} again here.`
      : null;
  });
  const [progress, setProgress] = useState<string | null>(null);
  const room = INTAKE_PHOTO_LIMITS.files - count;

  const add = async (files: File[]) => {
    const found = intakePhotosProblem(files, count);
    if (found) {
      setProblem(found);
      return;
    }
    setProblem(null);
    sessionStorage.removeItem(failedPhotosKey(sessionId));
    const result = await uploadIntakePhotos(sessionId, files, (done, total) =>
      setProgress(done < total ? `Adding photo ${done + 1} of ${total}…` : null),
    );
    setProgress(null);
    setProblem(result.problem);
    onAdded();
  };

  return (
    <div className="space-y-2">
      {room > 0 ? (
        <>
          <PhotoPicker
            onPick={(files) => void add(files)}
            disabled={progress !== null}
            describedBy={hintId}
            chooseLabel={count === 0 ? 'Add photos' : 'Add more photos'}
          />
          <p id={hintId} className="text-xs text-slate-600">
            {progress ??
              `Up to ${INTAKE_PHOTO_LIMITS.files} photos in all (${room} more), JPEG, PNG or WebP, each at most ${INTAKE_PHOTO_LIMITS.fileBytes / 1024 / 1024} MB. Mechanics see them with your request.`}
          </p>
        </>
      ) : (
        <p className="text-xs text-slate-600">
          Your request has the most photos it can hold ({INTAKE_PHOTO_LIMITS.files}).
        </p>
      )}
      {problem && (
        <p role="alert" className="text-sm text-red-700">
          {problem}
        </p>
      )}
    </div>
  );
}
