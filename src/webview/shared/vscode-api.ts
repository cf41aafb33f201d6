/**
 * The webview's end of a protocol (see src/protocol/channel.ts): a typed `post`, a listener
 * installed before `ready` is sent, and typed UI state that survives reloads and restores.
 */
import { isTaggedMessage, type TaggedMessage } from '../../protocol/channel';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

export interface WebviewChannel<Out extends TaggedMessage, State> {
  post(message: Out): void;
  /** The saved UI state, or `undefined` on a first load. */
  readonly savedState: State | undefined;
  saveState(state: State): void;
}

/**
 * Connects to the extension: installs `onMessage` first, then posts `ready`, so nothing the
 * extension sends is lost. `isState` guards against state saved by an older version.
 */
export function connect<In extends TaggedMessage, Out extends TaggedMessage, State>(
  onMessage: (message: In) => void,
  isState: (value: unknown) => value is State,
): WebviewChannel<Out, State> {
  const api = acquireVsCodeApi();
  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    if (isTaggedMessage(event.data)) onMessage(event.data as In);
  });
  const saved = api.getState();
  const channel: WebviewChannel<Out, State> = {
    post: (message) => api.postMessage(message),
    savedState: isState(saved) ? saved : undefined,
    saveState: (state) => api.setState(state),
  };
  api.postMessage({ type: 'ready' });
  return channel;
}
