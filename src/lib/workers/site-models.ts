/**
 * The site's own `models/` folder (public/models/ in the repository) under the app's base URL,
 * so a build served from any path on any static host finds the models it ships.
 */
export function siteModelsUrl(): string {
  return new URL(`${import.meta.env.BASE_URL}models/`, location.href).href;
}
