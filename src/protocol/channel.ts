/**
 * What every webview protocol shares. Messages are discriminated unions on `type`.
 *
 * The handshake: a webview's script may start after the extension has already posted, and
 * a message posted before the webview listens is lost. So the webview posts `ready` once its
 * listener is installed, and the extension holds everything it sends until then (see
 * `PanelChannel` on the extension side). A reloaded webview posts `ready` again and the
 * extension answers with a fresh `init`.
 */

export interface ReadyMessage {
  readonly type: 'ready';
}

/** Any message: a `type` tag and plain JSON data. */
export interface TaggedMessage {
  readonly type: string;
}

/** A narrow runtime check for data arriving from the other side of postMessage. */
export function isTaggedMessage(value: unknown): value is TaggedMessage {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}
