import { useState, type FormEvent } from 'react';
import { reports, type Review } from '../../../shared/contract';
import { ApiError, call } from '../../lib/api';
import { problemSentence } from '../../lib/form-errors';
import { TextArea } from '../../components/ui';

/** "You rated 5/5 — thanks": what the customer sees once they rated, also after a reload. */
export function RatingThanks({ review }: { review: Pick<Review, 'rating' | 'comment'> }) {
  return (
    <section aria-labelledby="rating-title" className="card space-y-1" data-testid="rating-done">
      <h2 id="rating-title" className="text-lg font-bold">
        Your rating
      </h2>
      <p className="text-green-800">
        You rated {review.rating}/5 — thanks. <span aria-hidden>{'★'.repeat(review.rating)}</span>
      </p>
      {review.comment && <p className="text-sm text-slate-700">“{review.comment}”</p>}
    </section>
  );
}

/**
 * The customer rates the session, once (the server refuses a second rating with 409: then it was
 * rated elsewhere, and `onAlreadyRated` reloads the session to show that rating).
 */
export function RatingForm({
  sessionId,
  onRated,
  onAlreadyRated,
}: {
  sessionId: string;
  onRated: (review: Review) => void;
  onAlreadyRated: () => void;
}) {
  const [rating, setRating] = useState(0);
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const review = await call(reports.review, {
        params: { id: sessionId },
        body: { rating, ...(comment.trim() ? { comment: comment.trim() } : {}) },
      });
      onRated(review);
    } catch (caught) {
      if (caught instanceof ApiError && caught.status === 409) onAlreadyRated();
      else setError(`Your rating was not sent. ${problemSentence(caught)}`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="card space-y-3" onSubmit={(e) => void submit(e)} aria-label="Rate your mechanic">
      <h2 className="text-lg font-bold">How did it go?</h2>
      <fieldset className="flex flex-wrap gap-1">
        <legend className="mb-1 text-sm text-slate-700">Rate your mechanic, from 1 to 5 stars</legend>
        {[1, 2, 3, 4, 5].map((n) => (
          <label
            key={n}
            className={`flex min-h-11 min-w-11 cursor-pointer items-center justify-center rounded-lg border px-3 text-lg has-[:focus-visible]:outline has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-blue-600 ${rating >= n ? 'border-amber-400 bg-amber-50' : 'border-slate-200'}`}
          >
            <input
              type="radio"
              name="rating"
              value={n}
              className="sr-only"
              checked={rating === n}
              onChange={() => setRating(n)}
            />
            <span aria-hidden>★</span>
            <span className="sr-only">
              {n} star{n > 1 ? 's' : ''}
            </span>
          </label>
        ))}
      </fieldset>
      <TextArea
        label="Comment (optional)"
        value={comment}
        onChange={(e) => setComment(e.target.value)}
        maxLength={2000}
      />
      {error && (
        <p role="alert" className="text-sm text-red-700">
          {error}
        </p>
      )}
      <button className="btn-primary min-h-11" disabled={rating === 0 || busy}>
        {busy ? 'Sending…' : 'Send rating'}
      </button>
    </form>
  );
}
