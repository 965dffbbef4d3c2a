/**
 * oidc-provider, loaded once for the server. On import it warns on stderr, outside our JSON log,
 * that it wants Node 22 or later; the server still runs on Node 20 (past its end of life, and
 * tested here), where every line of its output must be one JSON object. So the import drops that
 * one line, and only that one: any other warning of the library still shows.
 */
const RUNTIME_WARNING = 'oidc-provider WARNING: Unsupported runtime.';
const warn = console.warn;
console.warn = (...args: unknown[]) => {
  if (typeof args[0] === 'string' && args[0].startsWith(RUNTIME_WARNING)) return;
  warn(...args);
};
const oidcProvider = await import('oidc-provider').finally(() => (console.warn = warn));

/** oidc-provider's Provider class. */
export const Provider = oidcProvider.default;
/** oidc-provider's error classes (InvalidGrant …). */
export const errors = oidcProvider.errors;
/** oidc-provider's interaction policy: prompts and their checks. */
export const interactionPolicy = oidcProvider.interactionPolicy;
