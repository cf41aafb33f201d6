/**
 * The extension's end of a webview protocol (see src/protocol/channel.ts): holds outgoing
 * messages until the webview says `ready`, answers every `ready` (first load or reload)
 * through `onReady`, and hands the other messages to `onMessage`. Errors in handlers are
 * logged, never thrown into VS Code's message loop.
 */
import type * as vscode from 'vscode';
import { isTaggedMessage, type ReadyMessage, type TaggedMessage } from '../../protocol/channel';

export interface ChannelHandlers<In extends TaggedMessage> {
  onReady(): void | Promise<void>;
  onMessage(message: Exclude<In, ReadyMessage>): void | Promise<void>;
}

export class PanelChannel<Out extends TaggedMessage, In extends TaggedMessage> implements vscode.Disposable {
  private ready = false;
  /** A run or a read can finish after the panel closed; its message then goes nowhere. */
  private disposed = false;
  private pending: Out[] = [];
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly webview: vscode.Webview,
    private readonly handlers: ChannelHandlers<In>,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.subscription = webview.onDidReceiveMessage((message: unknown) => this.receive(message));
  }

  post(message: Out): void {
    if (this.disposed) return;
    if (!this.ready) {
      this.pending.push(message);
      return;
    }
    void this.webview.postMessage(message).then(undefined, (error: unknown) => this.log.warn(`webview post failed: ${String(error)}`));
  }

  /** The webview's HTML is being replaced: hold messages until it says `ready` again. */
  reset(): void {
    this.ready = false;
  }

  dispose(): void {
    this.disposed = true;
    this.subscription.dispose();
    this.pending = [];
  }

  private async receive(message: unknown): Promise<void> {
    if (!isTaggedMessage(message)) {
      this.log.warn('ignored a malformed webview message');
      return;
    }
    try {
      if (message.type === 'ready') {
        this.ready = true;
        await this.handlers.onReady();
        const held = this.pending;
        this.pending = [];
        for (const each of held) this.post(each);
        return;
      }
      await this.handlers.onMessage(message as Exclude<In, ReadyMessage>);
    } catch (error) {
      this.log.error(
        `webview message '${message.type}' failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
    }
  }
}
