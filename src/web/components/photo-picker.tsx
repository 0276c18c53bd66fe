import { useEffect, useMemo, useState } from 'react';

/** A phone or tablet: offer its camera as well as its gallery (`capture` is ignored on desktops anyway). */
function hasTouchCamera(): boolean {
  return typeof window !== 'undefined' && window.matchMedia?.('(pointer: coarse)').matches === true;
}

/**
 * Buttons that pick photos: "Choose photos" (the gallery or the file chooser) and, on a phone,
 * "Take a photo" straight from the back camera. `capture` on the only input would hide the
 * gallery on phones, where most photos of a car problem already are — so it gets its own button.
 */
export function PhotoPicker({
  onPick,
  disabled = false,
  describedBy,
  chooseLabel = 'Choose photos',
  multiple = true,
  facing = 'environment',
}: {
  onPick: (files: File[]) => void;
  /** One photo at a time (a profile photo) or several (a request's). */
  multiple?: boolean;
  /** Which camera "Take a photo" opens: the back one for a car, the front one for a portrait. */
  facing?: 'environment' | 'user';
  disabled?: boolean;
  /** The id of the hint or error that describes the control. */
  describedBy?: string;
  chooseLabel?: string;
}) {
  const [camera] = useState(hasTouchCamera);
  const pick = (input: HTMLInputElement) => {
    const files = [...(input.files ?? [])];
    input.value = ''; // the same photo may be picked again after it was removed
    if (files.length > 0) onPick(files);
  };
  const button = `btn-secondary cursor-pointer has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-offset-2 has-[:focus-visible]:outline-blue-600 ${disabled ? 'pointer-events-none opacity-50' : ''}`;
  return (
    <div className="flex flex-wrap gap-2">
      <label className={button}>
        {chooseLabel}
        <input
          type="file"
          accept="image/*"
          multiple={multiple}
          className="sr-only"
          disabled={disabled}
          aria-describedby={describedBy}
          onChange={(e) => pick(e.currentTarget)}
        />
      </label>
      {camera && (
        <label className={button}>
          Take a photo
          <input
            type="file"
            accept="image/*"
            capture={facing}
            className="sr-only"
            disabled={disabled}
            aria-describedby={describedBy}
            onChange={(e) => pick(e.currentTarget)}
          />
        </label>
      )}
    </div>
  );
}

/** Photos chosen but not yet sent, each with a preview and a way to take it out again. */
export function ChosenPhotos({ files, onRemove }: { files: readonly File[]; onRemove: (index: number) => void }) {
  const urls = useMemo(() => files.map((file) => URL.createObjectURL(file)), [files]);
  useEffect(() => () => urls.forEach((url) => URL.revokeObjectURL(url)), [urls]);
  if (files.length === 0) return null;
  return (
    <ul className="grid grid-cols-3 gap-2 sm:grid-cols-6" aria-label="Photos chosen">
      {files.map((file, index) => (
        <li key={`${file.name}-${file.size}-${index}`} className="relative">
          <img
            src={urls[index]}
            alt={`Photo ${index + 1}: ${file.name}`}
            className="aspect-square w-full rounded-lg border border-slate-200 object-cover"
          />
          <button
            type="button"
            className="absolute right-1 top-1 flex h-8 w-8 items-center justify-center rounded-full bg-white/95 text-base font-bold text-slate-800 shadow hover:bg-white"
            onClick={() => onRemove(index)}
            aria-label={`Remove photo ${index + 1} (${file.name})`}
          >
            ×
          </button>
        </li>
      ))}
    </ul>
  );
}
