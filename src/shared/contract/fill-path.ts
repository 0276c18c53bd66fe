/*
 * Kept apart from the schemas (no zod here): the web app's build replaces the contract with its
 * wire description (vite.config.ts) and takes fillPath from this module.
 */

/** `/api/sessions/:id` with `{ id }` → `/api/sessions/3f…`. */
export function fillPath(path: string, params: Record<string, unknown> | undefined): string {
  return path.replace(/:([A-Za-z]+)/g, (_, name: string) => {
    const value = params?.[name];
    if (value === undefined || value === null) throw new Error(`missing path parameter ${name} for ${path}`);
    return encodeURIComponent(String(value));
  });
}
