/**
 * Photos chosen at intake, by session id, uploaded by the session room once chat opens. A module
 * of its own, so that the room's code does not bring the intake form's with it (and back).
 */
export const pendingPhotos = new Map<string, File[]>();
