/**
 * The webviews' Content-Security-Policy, kept free of `vscode` so the webview UI tests load
 * the bundles under exactly the policy VS Code gets.
 */
import { randomBytes } from 'node:crypto';

/** 144 random bits, fresh for every page load. */
export function createNonce(): string {
  return randomBytes(18).toString('base64url');
}

/**
 * Nothing but our own bundle (by nonce and origin), our own stylesheets, fonts and images.
 * No 'unsafe-inline' for styles: lit adopts constructable stylesheets, @vscode-elements sets
 * styles through the CSSOM, and our CSS is adopted the same way.
 */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}' ${cspSource}`,
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `img-src ${cspSource}`,
  ].join('; ');
}
