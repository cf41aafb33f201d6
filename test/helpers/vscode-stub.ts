/**
 * A stand-in for the `vscode` module, so the extension's adapters run under node:test.
 *
 * Importing this file (FIRST, before any module that imports `vscode`) installs a
 * require hook: esbuild keeps `vscode` external in test bundles, and the hook answers
 * `require('vscode')` with the object below. The classes copy the real API's shape and
 * behaviour where our code depends on it (ranges, kinds, workspace edits); the
 * namespaces are fakes that record what the extension did, readable through `stub`.
 * Call `resetStub()` between tests.
 */
import { lstat, readdir, readFile, stat } from 'node:fs/promises';
import Module from 'node:module';
import { posix } from 'node:path';

// ---------------------------------------------------------------- value classes

export class Position {
  constructor(
    readonly line: number,
    readonly character: number,
  ) {
    if (line < 0 || character < 0) throw new Error('Illegal argument: negative position');
  }
  isEqual(other: Position): boolean {
    return this.line === other.line && this.character === other.character;
  }
  isBefore(other: Position): boolean {
    return this.compareTo(other) < 0;
  }
  isAfter(other: Position): boolean {
    return this.compareTo(other) > 0;
  }
  isBeforeOrEqual(other: Position): boolean {
    return this.compareTo(other) <= 0;
  }
  isAfterOrEqual(other: Position): boolean {
    return this.compareTo(other) >= 0;
  }
  compareTo(other: Position): number {
    return this.line - other.line || this.character - other.character;
  }
  translate(lineDelta = 0, characterDelta = 0): Position {
    return new Position(this.line + lineDelta, this.character + characterDelta);
  }
  with(line = this.line, character = this.character): Position {
    return new Position(line, character);
  }
}

export class Range {
  readonly start: Position;
  readonly end: Position;
  constructor(start: Position, end: Position);
  constructor(startLine: number, startCharacter: number, endLine: number, endCharacter: number);
  constructor(a: Position | number, b: Position | number, c?: number, d?: number) {
    const start = a instanceof Position ? a : new Position(a, b as number);
    const end = b instanceof Position ? b : new Position(c!, d!);
    // Like VS Code, a range given backwards is normalised.
    [this.start, this.end] = start.isAfter(end) ? [end, start] : [start, end];
  }
  get isEmpty(): boolean {
    return this.start.isEqual(this.end);
  }
  get isSingleLine(): boolean {
    return this.start.line === this.end.line;
  }
  contains(positionOrRange: Position | Range): boolean {
    if (positionOrRange instanceof Range) return this.contains(positionOrRange.start) && this.contains(positionOrRange.end);
    return positionOrRange.isAfterOrEqual(this.start) && positionOrRange.isBeforeOrEqual(this.end);
  }
  isEqual(other: Range): boolean {
    return this.start.isEqual(other.start) && this.end.isEqual(other.end);
  }
  intersection(other: Range): Range | undefined {
    const start = this.start.isAfter(other.start) ? this.start : other.start;
    const end = this.end.isBefore(other.end) ? this.end : other.end;
    return start.isAfter(end) ? undefined : new Range(start, end);
  }
  with(start = this.start, end = this.end): Range {
    return new Range(start, end);
  }
}

export class Selection extends Range {
  constructor(
    readonly anchor: Position,
    readonly active: Position,
  ) {
    super(anchor, active);
  }
}

export enum DiagnosticSeverity {
  Error = 0,
  Warning = 1,
  Information = 2,
  Hint = 3,
}

export enum DiagnosticTag {
  Unnecessary = 1,
  Deprecated = 2,
}

export class Uri {
  private constructor(
    readonly scheme: string,
    readonly authority: string,
    readonly path: string,
    readonly query: string,
    readonly fragment: string,
  ) {}
  static file(path: string): Uri {
    return new Uri('file', '', path.startsWith('/') ? path : `/${path}`, '', '');
  }
  static parse(value: string): Uri {
    const match = /^([a-zA-Z][\w+.-]*):(?:\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/.exec(value);
    if (!match) throw new Error(`cannot parse URI: ${value}`);
    // Like VS Code, every component is percent-decoded.
    const decode = (part: string | undefined) => decodeURIComponent(part ?? '');
    return new Uri(match[1]!, decode(match[2]), decode(match[3]), decode(match[4]), decode(match[5]));
  }
  static from(components: { scheme: string; authority?: string; path?: string; query?: string; fragment?: string }): Uri {
    return new Uri(components.scheme, components.authority ?? '', components.path ?? '', components.query ?? '', components.fragment ?? '');
  }
  static joinPath(base: Uri, ...segments: string[]): Uri {
    return base.with({ path: posix.join(base.path, ...segments) });
  }
  get fsPath(): string {
    return this.path;
  }
  with(change: { scheme?: string; authority?: string; path?: string; query?: string; fragment?: string }): Uri {
    return new Uri(
      change.scheme ?? this.scheme,
      change.authority ?? this.authority,
      change.path ?? this.path,
      change.query ?? this.query,
      change.fragment ?? this.fragment,
    );
  }
  toString(): string {
    const authority = this.authority || this.scheme === 'file' ? `//${this.authority}` : '';
    const query = this.query ? `?${encodeURIComponent(this.query)}` : '';
    return `${this.scheme}:${authority}${encodeURI(this.path)}${query}${this.fragment ? `#${encodeURIComponent(this.fragment)}` : ''}`;
  }
  toJSON(): object {
    return { scheme: this.scheme, authority: this.authority, path: this.path, query: this.query, fragment: this.fragment };
  }
}

export class Location {
  readonly range: Range;
  constructor(
    readonly uri: Uri,
    rangeOrPosition: Range | Position,
  ) {
    this.range = rangeOrPosition instanceof Range ? rangeOrPosition : new Range(rangeOrPosition, rangeOrPosition);
  }
}

export class DiagnosticRelatedInformation {
  constructor(
    readonly location: Location,
    readonly message: string,
  ) {}
}

export class Diagnostic {
  source?: string;
  code?: string | number | { value: string | number; target: Uri };
  relatedInformation?: DiagnosticRelatedInformation[];
  tags?: DiagnosticTag[];
  constructor(
    public range: Range,
    public message: string,
    public severity: DiagnosticSeverity = DiagnosticSeverity.Error,
  ) {}
}

export class CodeActionKind {
  static readonly Empty = new CodeActionKind('');
  static readonly QuickFix = new CodeActionKind('quickfix');
  static readonly Refactor = new CodeActionKind('refactor');
  static readonly Source = new CodeActionKind('source');
  static readonly SourceFixAll = new CodeActionKind('source.fixAll');
  static readonly SourceOrganizeImports = new CodeActionKind('source.organizeImports');
  private constructor(readonly value: string) {}
  append(part: string): CodeActionKind {
    return new CodeActionKind(this.value ? `${this.value}.${part}` : part);
  }
  /** `this` is the same kind as `other` or a parent of it. */
  contains(other: CodeActionKind): boolean {
    return this.value === '' || other.value === this.value || other.value.startsWith(`${this.value}.`);
  }
  intersects(other: CodeActionKind): boolean {
    return this.contains(other) || other.contains(this);
  }
}

export enum CodeActionTriggerKind {
  Invoke = 1,
  Automatic = 2,
}

export class CodeAction {
  edit?: WorkspaceEdit;
  command?: Command;
  diagnostics?: Diagnostic[];
  isPreferred?: boolean;
  disabled?: { readonly reason: string };
  constructor(
    public title: string,
    public kind?: CodeActionKind,
  ) {}
}

export interface Command {
  title: string;
  command: string;
  tooltip?: string;
  arguments?: unknown[];
}

export class TextEdit {
  constructor(
    public range: Range,
    public newText: string,
  ) {}
  static replace(range: Range, newText: string): TextEdit {
    return new TextEdit(range, newText);
  }
  static insert(position: Position, newText: string): TextEdit {
    return new TextEdit(new Range(position, position), newText);
  }
  static delete(range: Range): TextEdit {
    return new TextEdit(range, '');
  }
}

/** One recorded operation of a WorkspaceEdit, in the order the extension added them. */
export type WorkspaceEditOperation =
  | { readonly kind: 'edit'; readonly uri: Uri; readonly edit: TextEdit }
  | { readonly kind: 'create'; readonly uri: Uri; readonly options?: { overwrite?: boolean; ignoreIfExists?: boolean } }
  | { readonly kind: 'delete'; readonly uri: Uri };

export class WorkspaceEdit {
  readonly operations: WorkspaceEditOperation[] = [];
  get size(): number {
    return new Set(this.operations.map((op) => op.uri.toString())).size;
  }
  replace(uri: Uri, range: Range, newText: string): void {
    this.operations.push({ kind: 'edit', uri, edit: new TextEdit(range, newText) });
  }
  insert(uri: Uri, position: Position, newText: string): void {
    this.operations.push({ kind: 'edit', uri, edit: TextEdit.insert(position, newText) });
  }
  delete(uri: Uri, range: Range): void {
    this.operations.push({ kind: 'edit', uri, edit: TextEdit.delete(range) });
  }
  set(uri: Uri, edits: readonly TextEdit[]): void {
    for (const edit of edits) this.operations.push({ kind: 'edit', uri, edit });
  }
  createFile(uri: Uri, options?: { overwrite?: boolean; ignoreIfExists?: boolean }): void {
    this.operations.push(options ? { kind: 'create', uri, options } : { kind: 'create', uri });
  }
  deleteFile(uri: Uri): void {
    this.operations.push({ kind: 'delete', uri });
  }
  has(uri: Uri): boolean {
    return this.operations.some((op) => op.uri.toString() === uri.toString());
  }
  get(uri: Uri): TextEdit[] {
    return this.operations.flatMap((op) => (op.kind === 'edit' && op.uri.toString() === uri.toString() ? [op.edit] : []));
  }
  entries(): [Uri, TextEdit[]][] {
    const byUri = new Map<string, [Uri, TextEdit[]]>();
    for (const op of this.operations) {
      const entry = byUri.get(op.uri.toString()) ?? [op.uri, []];
      if (op.kind === 'edit') entry[1].push(op.edit);
      byUri.set(op.uri.toString(), entry);
    }
    return [...byUri.values()];
  }
}

export class MarkdownString {
  isTrusted?: boolean;
  supportThemeIcons?: boolean;
  constructor(public value = '') {}
  appendMarkdown(value: string): this {
    this.value += value;
    return this;
  }
  appendText(value: string): this {
    this.value += value.replace(/[\\`*_{}[\]()#+\-.!]/g, '\\$&');
    return this;
  }
}

export class ThemeColor {
  constructor(readonly id: string) {}
}

export class ThemeIcon {
  constructor(readonly id: string) {}
}

export class Disposable {
  private disposed = false;
  constructor(private readonly callOnDispose: () => unknown) {}
  static from(...items: { dispose(): unknown }[]): Disposable {
    return new Disposable(() => items.forEach((item) => item.dispose()));
  }
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.callOnDispose();
  }
}

export type Event<T> = (listener: (value: T) => unknown, thisArg?: unknown, disposables?: { dispose(): unknown }[]) => Disposable;

export class EventEmitter<T> {
  private listeners: ((value: T) => unknown)[] = [];
  readonly event: Event<T> = (listener, thisArg, disposables) => {
    const bound = thisArg ? listener.bind(thisArg) : listener;
    this.listeners.push(bound);
    const disposable = new Disposable(() => {
      this.listeners = this.listeners.filter((l) => l !== bound);
    });
    disposables?.push(disposable);
    return disposable;
  };
  fire(value: T): void {
    for (const listener of [...this.listeners]) listener(value);
  }
  dispose(): void {
    this.listeners = [];
  }
}

export class CancellationTokenSource {
  private readonly emitter = new EventEmitter<void>();
  readonly token = { isCancellationRequested: false, onCancellationRequested: this.emitter.event };
  cancel(): void {
    this.token.isCancellationRequested = true;
    this.emitter.fire();
  }
  dispose(): void {
    this.emitter.dispose();
  }
}

export class RelativePattern {
  constructor(
    readonly base: Uri | { uri: Uri },
    readonly pattern: string,
  ) {}
}

export class FileSystemError extends Error {
  constructor(
    message: string,
    readonly code:
      'FileNotFound' | 'FileExists' | 'FileNotADirectory' | 'FileIsADirectory' | 'NoPermissions' | 'Unavailable' | 'Unknown' = 'Unknown',
  ) {
    super(message);
  }
  static FileNotFound(message = 'file not found'): FileSystemError {
    return new FileSystemError(message, 'FileNotFound');
  }
}

export enum ProgressLocation {
  SourceControl = 1,
  Window = 10,
  Notification = 15,
}

export enum StatusBarAlignment {
  Left = 1,
  Right = 2,
}

export enum ConfigurationTarget {
  Global = 1,
  Workspace = 2,
  WorkspaceFolder = 3,
}

export enum FileType {
  Unknown = 0,
  File = 1,
  Directory = 2,
  SymbolicLink = 64,
}

export enum ViewColumn {
  Active = -1,
  Beside = -2,
  One = 1,
  Two = 2,
}

export enum ExtensionMode {
  Production = 1,
  Development = 2,
  Test = 3,
}

export enum LogLevel {
  Off = 0,
  Trace = 1,
  Debug = 2,
  Info = 3,
  Warning = 4,
  Error = 5,
}

export class CodeLens {
  constructor(
    readonly range: Range,
    public command?: Command,
  ) {}
}

// ---------------------------------------------------------------- fakes

/** A webview that records what the extension posts; `receive` delivers a message from the page. */
export class FakeWebview {
  html = '';
  options: Record<string, unknown> = {};
  readonly cspSource = 'https://webview.test';
  readonly posted: unknown[] = [];
  private readonly messages = new EventEmitter<unknown>();
  readonly onDidReceiveMessage = this.messages.event;
  asWebviewUri(uri: Uri): Uri {
    return uri.with({ scheme: 'https', authority: 'webview.test' });
  }
  async postMessage(message: unknown): Promise<boolean> {
    this.posted.push(JSON.parse(JSON.stringify(message)));
    return true;
  }
  receive(message: unknown): void {
    this.messages.fire(message);
  }
}

export class FakeWebviewPanel {
  readonly webview = new FakeWebview();
  visible = true;
  disposed = false;
  private readonly disposeEmitter = new EventEmitter<void>();
  readonly onDidDispose = this.disposeEmitter.event;
  constructor(
    readonly viewType: string,
    public title: string,
    options: Record<string, unknown> = {},
  ) {
    this.webview.options = options;
  }
  reveal(): void {
    this.visible = true;
  }
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.disposeEmitter.fire();
  }
}

/** `ExtensionContext.workspaceState` / `globalState`. */
export class FakeMemento {
  private readonly values = new Map<string, unknown>();
  keys(): readonly string[] {
    return [...this.values.keys()];
  }
  get<T>(key: string, defaultValue?: T): T | undefined {
    return this.values.has(key) ? (JSON.parse(JSON.stringify(this.values.get(key))) as T) : defaultValue;
  }
  async update(key: string, value: unknown): Promise<void> {
    if (value === undefined) this.values.delete(key);
    else this.values.set(key, value);
  }
}

/** A glob with `**` and `*` as the fake `findFiles` understands it. */
function globRegExp(glob: string): RegExp {
  const pattern = glob
    .split('**/')
    .map((part) =>
      part
        .split('*')
        .map((piece) => piece.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('[^/]*'),
    )
    .join('(?:.*/)?');
  return new RegExp(`(^|/)${pattern}$`);
}

/** A TextDocument over a string; `setText` bumps the version like an edit does. */
export class FakeTextDocument {
  version = 1;
  isDirty = false;
  isClosed = false;
  constructor(
    readonly uri: Uri,
    private text: string,
    readonly languageId = 'plaintext',
  ) {}
  get fileName(): string {
    return this.uri.fsPath;
  }
  get lineCount(): number {
    return this.text.split(/\r\n|\r|\n/).length;
  }
  getText(range?: Range): string {
    if (!range) return this.text;
    return this.text.slice(this.offsetAt(range.start), this.offsetAt(range.end));
  }
  setText(text: string): void {
    this.text = text;
    this.version++;
    this.isDirty = true;
  }
  offsetAt(position: Position): number {
    const starts = this.lineStarts();
    if (position.line >= starts.length) return this.text.length;
    const lineStart = starts[position.line]!;
    const next = starts[position.line + 1];
    const lineEnd = next === undefined ? this.text.length : next - (this.text[next - 2] === '\r' ? 2 : 1);
    return Math.min(lineStart + position.character, lineEnd);
  }
  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    const starts = this.lineStarts();
    let line = 0;
    while (line + 1 < starts.length && starts[line + 1]! <= clamped) line++;
    return new Position(line, clamped - starts[line]!);
  }
  private lineStarts(): number[] {
    const starts = [0];
    for (let i = 0; i < this.text.length; i++) {
      if (this.text[i] === '\r' && this.text[i + 1] === '\n') i++;
      if (this.text[i] === '\n' || this.text[i] === '\r') starts.push(i + 1);
    }
    return starts;
  }
}

export class FakeDiagnosticCollection {
  readonly entries = new Map<string, { uri: Uri; diagnostics: readonly Diagnostic[] }>();
  /** Every `set`/`delete` call, for asserting that only changed files were touched. */
  readonly calls: { op: 'set' | 'delete' | 'clear'; uri?: string }[] = [];
  private disposed = false;
  constructor(readonly name: string) {}
  /** As VS Code's collection does: using it after `dispose` throws. */
  private checkDisposed(): void {
    if (this.disposed) throw new Error('illegal state - object is disposed');
  }
  set(uri: Uri, diagnostics: readonly Diagnostic[] | undefined): void {
    this.checkDisposed();
    this.calls.push({ op: 'set', uri: uri.toString() });
    if (!diagnostics || diagnostics.length === 0) this.entries.delete(uri.toString());
    else this.entries.set(uri.toString(), { uri, diagnostics });
  }
  get(uri: Uri): readonly Diagnostic[] | undefined {
    return this.entries.get(uri.toString())?.diagnostics;
  }
  has(uri: Uri): boolean {
    return this.entries.has(uri.toString());
  }
  delete(uri: Uri): void {
    this.checkDisposed();
    this.calls.push({ op: 'delete', uri: uri.toString() });
    this.entries.delete(uri.toString());
  }
  clear(): void {
    this.checkDisposed();
    this.calls.push({ op: 'clear' });
    this.entries.clear();
  }
  forEach(callback: (uri: Uri, diagnostics: readonly Diagnostic[]) => void): void {
    for (const { uri, diagnostics } of this.entries.values()) callback(uri, diagnostics);
  }
  dispose(): void {
    this.disposed = true;
    this.entries.clear();
  }
}

export class FakeLogOutputChannel {
  readonly lines: string[] = [];
  logLevel = LogLevel.Info;
  readonly onDidChangeLogLevel = new EventEmitter<LogLevel>().event;
  constructor(readonly name: string) {}
  trace(message: string, ...args: unknown[]): void {
    this.lines.push(`[trace] ${format(message, args)}`);
  }
  debug(message: string, ...args: unknown[]): void {
    this.lines.push(`[debug] ${format(message, args)}`);
  }
  info(message: string, ...args: unknown[]): void {
    this.lines.push(`[info] ${format(message, args)}`);
  }
  warn(message: string, ...args: unknown[]): void {
    this.lines.push(`[warning] ${format(message, args)}`);
  }
  error(error: string | Error, ...args: unknown[]): void {
    this.lines.push(`[error] ${format(error instanceof Error ? error.message : error, args)}`);
  }
  append(value: string): void {
    this.lines.push(value);
  }
  appendLine(value: string): void {
    this.lines.push(value);
  }
  replace(value: string): void {
    this.lines.splice(0, this.lines.length, value);
  }
  clear(): void {
    this.lines.length = 0;
  }
  /** Whether `show` was called (e.g. by a "Show build log" button). */
  shown = false;
  show(): void {
    this.shown = true;
  }
  hide(): void {}
  dispose(): void {}
}

/** A terminal that records the text sent to it. */
export class FakeTerminal {
  readonly sent: string[] = [];
  shown = false;
  constructor(readonly options: { name?: string; cwd?: string }) {}
  sendText(text: string): void {
    this.sent.push(text);
  }
  show(): void {
    this.shown = true;
  }
  dispose(): void {}
}

function format(message: string, args: unknown[]): string {
  return [message, ...args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a)))].join(' ');
}

export class FakeStatusBarItem {
  text = '';
  tooltip: string | MarkdownString | undefined;
  command: string | Command | undefined;
  name: string | undefined;
  backgroundColor: ThemeColor | undefined;
  visible = false;
  constructor(
    readonly id: string,
    readonly alignment: StatusBarAlignment,
    readonly priority: number | undefined,
  ) {}
  show(): void {
    this.visible = true;
  }
  hide(): void {
    this.visible = false;
  }
  dispose(): void {
    this.visible = false;
  }
}

export class FakeFileSystemWatcher {
  readonly created = new EventEmitter<Uri>();
  readonly changed = new EventEmitter<Uri>();
  readonly deleted = new EventEmitter<Uri>();
  readonly onDidCreate = this.created.event;
  readonly onDidChange = this.changed.event;
  readonly onDidDelete = this.deleted.event;
  constructor(readonly pattern: string | RelativePattern) {}
  dispose(): void {}
}

/** Configuration values by section key (`wasm-perf.rules`), optionally per folder URI. */
type ConfigurationValues = Map<string, unknown>;

function configurationFor(section: string | undefined, scope: Uri | { uri: Uri } | null | undefined) {
  const prefix = section ? `${section}.` : '';
  const scopeUri = scope ? ('uri' in scope ? scope.uri : scope) : undefined;
  const lookup = (key: string): unknown => {
    const full = prefix + key;
    const scoped = scopeUri ? stub.folderConfiguration.get(scopeUri.toString())?.get(full) : undefined;
    return scoped !== undefined ? scoped : stub.configuration.get(full);
  };
  return {
    get<T>(key: string, defaultValue?: T): T | undefined {
      const value = lookup(key);
      return value === undefined ? defaultValue : (value as T);
    },
    has(key: string): boolean {
      return lookup(key) !== undefined;
    },
    inspect(key: string) {
      return { key: prefix + key, globalValue: stub.configuration.get(prefix + key) };
    },
    async update(key: string, value: unknown): Promise<void> {
      stub.configuration.set(prefix + key, value);
      fireConfigurationChange([prefix + key]);
    },
  };
}

/** Fires `onDidChangeConfiguration` as VS Code does after settings changed. */
export function fireConfigurationChange(keys: readonly string[]): void {
  emitters.configuration.fire({
    affectsConfiguration: (section: string) =>
      keys.some((key) => key === section || key.startsWith(`${section}.`) || section.startsWith(`${key}.`)),
  });
}

const emitters = {
  configuration: new EventEmitter<{ affectsConfiguration(section: string, scope?: unknown): boolean }>(),
  openDocument: new EventEmitter<FakeTextDocument>(),
  closeDocument: new EventEmitter<FakeTextDocument>(),
  changeDocument: new EventEmitter<{ document: FakeTextDocument; contentChanges: unknown[]; reason: undefined }>(),
  saveDocument: new EventEmitter<FakeTextDocument>(),
  workspaceFolders: new EventEmitter<{ added: unknown[]; removed: unknown[] }>(),
  grantTrust: new EventEmitter<void>(),
  diagnostics: new EventEmitter<{ uris: readonly Uri[] }>(),
};

/** Fires `languages.onDidChangeDiagnostics` for these files. */
export function fireDiagnosticsChange(uris: readonly Uri[]): void {
  emitters.diagnostics.fire({ uris });
}

export function fireWorkspaceFoldersChange(added: readonly unknown[], removed: readonly unknown[]): void {
  emitters.workspaceFolders.fire({ added: [...added], removed: [...removed] });
}

/** Simulates typing into an open document: new text, a version bump, the change event. */
export function editDocument(document: FakeTextDocument, text: string): void {
  document.setText(text);
  emitters.changeDocument.fire({ document, contentChanges: [{ text }], reason: undefined });
}

export function openDocument(document: FakeTextDocument): void {
  stub.documents.push(document);
  emitters.openDocument.fire(document);
}

export function closeDocument(document: FakeTextDocument): void {
  stub.documents.splice(stub.documents.indexOf(document), 1);
  document.isClosed = true;
  emitters.closeDocument.fire(document);
}

export function saveDocument(document: FakeTextDocument): void {
  document.isDirty = false;
  emitters.saveDocument.fire(document);
}

/** What the extension did to the fake VS Code, and the state tests arrange. */
export const stub = {
  configuration: new Map() as ConfigurationValues,
  folderConfiguration: new Map<string, ConfigurationValues>(),
  documents: [] as FakeTextDocument[],
  workspaceFolders: undefined as { uri: Uri; name: string; index: number }[] | undefined,
  isTrusted: true,
  commands: new Map<string, (...args: unknown[]) => unknown>(),
  executedCommands: [] as { command: string; args: unknown[] }[],
  collections: [] as FakeDiagnosticCollection[],
  channels: [] as FakeLogOutputChannel[],
  statusBarItems: [] as FakeStatusBarItem[],
  watchers: [] as FakeFileSystemWatcher[],
  codeActionProviders: [] as { selector: unknown; provider: unknown; metadata: unknown }[],
  contentProviders: new Map<string, { provideTextDocumentContent(uri: Uri): string | undefined | Promise<string | undefined> }>(),
  appliedEdits: [] as WorkspaceEdit[],
  messages: [] as { level: 'info' | 'warning' | 'error'; message: string; items: string[] }[],
  /** Answer for the next `showInformationMessage`/`showWarningMessage`/… with items. */
  nextMessageChoice: undefined as string | undefined,
  /** Answer for the next `showSaveDialog`. */
  nextSaveUri: undefined as Uri | undefined,
  writtenFiles: new Map<string, Uint8Array>(),
  quickPicks: [] as unknown[],
  shownDocuments: [] as unknown[],
  l10nBundle: undefined as Record<string, string> | undefined,
  webviewPanels: [] as FakeWebviewPanel[],
  terminals: [] as FakeTerminal[],
  panelSerializers: new Map<string, unknown>(),
  customEditorProviders: new Map<string, unknown>(),
  codeLensProviders: [] as { selector: unknown; provider: unknown }[],
  /** What `findFiles` searches (absolute paths). */
  workspaceFiles: [] as string[],
  clipboard: '',
};

export function resetStub(): void {
  stub.configuration.clear();
  stub.folderConfiguration.clear();
  stub.documents.length = 0;
  stub.workspaceFolders = undefined;
  stub.isTrusted = true;
  stub.commands.clear();
  stub.executedCommands.length = 0;
  stub.collections.length = 0;
  stub.channels.length = 0;
  stub.statusBarItems.length = 0;
  stub.watchers.length = 0;
  stub.codeActionProviders.length = 0;
  stub.contentProviders.clear();
  stub.appliedEdits.length = 0;
  stub.messages.length = 0;
  stub.nextMessageChoice = undefined;
  stub.nextSaveUri = undefined;
  stub.writtenFiles.clear();
  stub.quickPicks.length = 0;
  stub.shownDocuments.length = 0;
  stub.l10nBundle = undefined;
  stub.webviewPanels.length = 0;
  stub.terminals.length = 0;
  stub.panelSerializers.clear();
  stub.customEditorProviders.clear();
  stub.codeLensProviders.length = 0;
  stub.workspaceFiles.length = 0;
  stub.clipboard = '';
  for (const emitter of Object.values(emitters)) emitter.dispose();
}

/** `vscode.l10n.t`: looks the message up in `stub.l10nBundle`, then fills `{0}` / `{name}` placeholders. */
function translate(...input: unknown[]): string {
  let message: string;
  let args: unknown[] | Record<string, unknown>;
  if (typeof input[0] === 'object' && input[0] !== null) {
    const options = input[0] as { message: string; args?: unknown[] | Record<string, unknown> };
    message = options.message;
    args = options.args ?? [];
  } else {
    message = input[0] as string;
    args =
      input.length === 2 && typeof input[1] === 'object' && input[1] !== null && !Array.isArray(input[1])
        ? (input[1] as Record<string, unknown>)
        : input.slice(1);
  }
  const template = stub.l10nBundle?.[message] ?? message;
  return template.replace(/\{([^}]+)\}/g, (whole, key: string) => {
    const value = Array.isArray(args) ? args[Number(key)] : args[key];
    return value === undefined ? whole : String(value);
  });
}

function showMessage(level: 'info' | 'warning' | 'error') {
  return async (message: string, ...rest: unknown[]): Promise<string | undefined> => {
    const items = rest.filter((r): r is string => typeof r === 'string');
    stub.messages.push({ level, message, items });
    const choice = stub.nextMessageChoice;
    stub.nextMessageChoice = undefined;
    return choice !== undefined && items.includes(choice) ? choice : undefined;
  };
}

export const l10n = { t: translate, bundle: undefined, uri: undefined };

export const languages = {
  createDiagnosticCollection(name = ''): FakeDiagnosticCollection {
    const collection = new FakeDiagnosticCollection(name);
    stub.collections.push(collection);
    return collection;
  },
  registerCodeActionsProvider(selector: unknown, provider: unknown, metadata?: unknown): Disposable {
    const entry = { selector, provider, metadata };
    stub.codeActionProviders.push(entry);
    return new Disposable(() => stub.codeActionProviders.splice(stub.codeActionProviders.indexOf(entry), 1));
  },
  onDidChangeDiagnostics: emitters.diagnostics.event,
  registerCodeLensProvider(selector: unknown, provider: unknown): Disposable {
    const entry = { selector, provider };
    stub.codeLensProviders.push(entry);
    return new Disposable(() => stub.codeLensProviders.splice(stub.codeLensProviders.indexOf(entry), 1));
  },
  getDiagnostics(uri?: Uri): unknown {
    if (uri) return stub.collections.flatMap((c) => c.get(uri) ?? []);
    return stub.collections.flatMap((c) => [...c.entries.values()].map((e) => [e.uri, e.diagnostics]));
  },
};

export const workspace = {
  get workspaceFolders() {
    return stub.workspaceFolders;
  },
  get textDocuments() {
    return stub.documents;
  },
  get isTrusted() {
    return stub.isTrusted;
  },
  getWorkspaceFolder(uri: Uri) {
    return stub.workspaceFolders?.find((f) => uri.path === f.uri.path || uri.path.startsWith(`${f.uri.path}/`));
  },
  getConfiguration: configurationFor,
  onDidChangeConfiguration: emitters.configuration.event,
  onDidOpenTextDocument: emitters.openDocument.event,
  onDidCloseTextDocument: emitters.closeDocument.event,
  onDidChangeTextDocument: emitters.changeDocument.event,
  onDidSaveTextDocument: emitters.saveDocument.event,
  onDidChangeWorkspaceFolders: emitters.workspaceFolders.event,
  onDidGrantWorkspaceTrust: emitters.grantTrust.event,
  createFileSystemWatcher(pattern: string | RelativePattern): FakeFileSystemWatcher {
    const watcher = new FakeFileSystemWatcher(pattern);
    stub.watchers.push(watcher);
    return watcher;
  },
  registerTextDocumentContentProvider(
    scheme: string,
    provider: { provideTextDocumentContent(uri: Uri): string | undefined | Promise<string | undefined> },
  ): Disposable {
    stub.contentProviders.set(scheme, provider);
    return new Disposable(() => stub.contentProviders.delete(scheme));
  },
  asRelativePath(pathOrUri: string | Uri): string {
    const path = typeof pathOrUri === 'string' ? pathOrUri : pathOrUri.path;
    const folder = stub.workspaceFolders?.find((f) => path.startsWith(`${f.uri.path}/`));
    return folder ? path.slice(folder.uri.path.length + 1) : path;
  },
  async applyEdit(edit: WorkspaceEdit): Promise<boolean> {
    stub.appliedEdits.push(edit);
    return true;
  },
  async openTextDocument(uri: Uri): Promise<FakeTextDocument | undefined> {
    return stub.documents.find((d) => d.uri.toString() === uri.toString());
  },
  async findFiles(include: string): Promise<Uri[]> {
    const pattern = globRegExp(include);
    return stub.workspaceFiles.filter((path) => pattern.test(path) && !path.includes('/node_modules/')).map((path) => Uri.file(path));
  },
  fs: {
    async writeFile(uri: Uri, content: Uint8Array): Promise<void> {
      stub.writtenFiles.set(uri.toString(), content);
    },
    /** Files written through the fake first, then the real disk. */
    async readFile(uri: Uri): Promise<Uint8Array> {
      return stub.writtenFiles.get(uri.toString()) ?? new Uint8Array(await asFileSystemError(readFile(uri.fsPath)));
    },
    async stat(uri: Uri): Promise<{ type: FileType; size: number; ctime: number; mtime: number }> {
      const written = stub.writtenFiles.get(uri.toString());
      if (written) return { type: FileType.File, size: written.length, ctime: 0, mtime: 0 };
      const info = await asFileSystemError(lstat(uri.fsPath));
      const type = info.isSymbolicLink()
        ? FileType.SymbolicLink | ((await stat(uri.fsPath).catch(() => undefined))?.isDirectory() ? FileType.Directory : FileType.File)
        : info.isDirectory()
          ? FileType.Directory
          : FileType.File;
      return { type, size: info.size, ctime: info.ctimeMs, mtime: info.mtimeMs };
    },
    async readDirectory(uri: Uri): Promise<[string, FileType][]> {
      const entries = await asFileSystemError(readdir(uri.fsPath, { withFileTypes: true }));
      return entries.map((entry) => [
        entry.name,
        entry.isSymbolicLink() ? FileType.SymbolicLink : entry.isDirectory() ? FileType.Directory : FileType.File,
      ]);
    },
  },
};

/** Node's errors as the `FileSystemError`s `vscode.workspace.fs` throws. */
async function asFileSystemError<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const kind =
      code === 'ENOENT'
        ? 'FileNotFound'
        : code === 'ENOTDIR'
          ? 'FileNotADirectory'
          : code === 'EISDIR'
            ? 'FileIsADirectory'
            : code === 'EACCES' || code === 'EPERM'
              ? 'NoPermissions'
              : 'Unknown';
    throw new FileSystemError(error instanceof Error ? error.message : String(error), kind);
  }
}

export const window = {
  createOutputChannel(name: string): FakeLogOutputChannel {
    const channel = new FakeLogOutputChannel(name);
    stub.channels.push(channel);
    return channel;
  },
  createStatusBarItem(
    idOrAlignment?: string | StatusBarAlignment,
    alignmentOrPriority?: StatusBarAlignment | number,
    priority?: number,
  ): FakeStatusBarItem {
    const item =
      typeof idOrAlignment === 'string'
        ? new FakeStatusBarItem(idOrAlignment, (alignmentOrPriority as StatusBarAlignment) ?? StatusBarAlignment.Left, priority)
        : new FakeStatusBarItem('', idOrAlignment ?? StatusBarAlignment.Left, alignmentOrPriority);
    stub.statusBarItems.push(item);
    return item;
  },
  showInformationMessage: showMessage('info'),
  showWarningMessage: showMessage('warning'),
  showErrorMessage: showMessage('error'),
  async showQuickPick<T>(items: readonly T[]): Promise<T | undefined> {
    stub.quickPicks.push(items);
    return undefined;
  },
  async showTextDocument(document: unknown): Promise<unknown> {
    stub.shownDocuments.push(document);
    return undefined;
  },
  async showSaveDialog(): Promise<Uri | undefined> {
    return stub.nextSaveUri;
  },
  createWebviewPanel(viewType: string, title: string, _column: unknown, options?: Record<string, unknown>): FakeWebviewPanel {
    const panel = new FakeWebviewPanel(viewType, title, options);
    stub.webviewPanels.push(panel);
    return panel;
  },
  createTerminal(options: { name?: string; cwd?: string }): FakeTerminal {
    const terminal = new FakeTerminal(options);
    stub.terminals.push(terminal);
    return terminal;
  },
  registerWebviewPanelSerializer(viewType: string, serializer: unknown): Disposable {
    stub.panelSerializers.set(viewType, serializer);
    return new Disposable(() => stub.panelSerializers.delete(viewType));
  },
  registerCustomEditorProvider(viewType: string, provider: unknown): Disposable {
    stub.customEditorProviders.set(viewType, provider);
    return new Disposable(() => stub.customEditorProviders.delete(viewType));
  },
  tabGroups: { activeTabGroup: { activeTab: undefined as { input: unknown } | undefined } },
  activeTextEditor: undefined as unknown,
  visibleTextEditors: [] as unknown[],
  async withProgress<T>(_options: unknown, task: (progress: { report(value: unknown): void }, token: unknown) => Promise<T>): Promise<T> {
    return task({ report() {} }, new CancellationTokenSource().token);
  },
};

export const commands = {
  registerCommand(command: string, callback: (...args: unknown[]) => unknown): Disposable {
    if (stub.commands.has(command)) throw new Error(`command '${command}' already exists`);
    stub.commands.set(command, callback);
    return new Disposable(() => stub.commands.delete(command));
  },
  async executeCommand(command: string, ...args: unknown[]): Promise<unknown> {
    stub.executedCommands.push({ command, args });
    return stub.commands.get(command)?.(...args);
  },
};

export const env = {
  language: 'en',
  appName: 'Visual Studio Code',
  uiKind: 1,
  clipboard: {
    async writeText(value: string): Promise<void> {
      stub.clipboard = value;
    },
    async readText(): Promise<string> {
      return stub.clipboard;
    },
  },
};

const vscodeModule = {
  Position,
  Range,
  Selection,
  Uri,
  Location,
  CodeLens,
  Diagnostic,
  DiagnosticSeverity,
  DiagnosticTag,
  DiagnosticRelatedInformation,
  CodeAction,
  CodeActionKind,
  CodeActionTriggerKind,
  TextEdit,
  WorkspaceEdit,
  MarkdownString,
  ThemeColor,
  ThemeIcon,
  Disposable,
  EventEmitter,
  CancellationTokenSource,
  RelativePattern,
  StatusBarAlignment,
  ConfigurationTarget,
  FileType,
  ViewColumn,
  ExtensionMode,
  LogLevel,
  FileSystemError,
  ProgressLocation,
  l10n,
  languages,
  workspace,
  window,
  commands,
  env,
};

// The hook: `require('vscode')` anywhere in the test bundle answers with the stub.
const STUB_ID = '\0vscode-stub';
type Resolver = (request: string, ...rest: unknown[]) => string;
const moduleInternals = Module as unknown as { _resolveFilename: Resolver; _cache: Record<string, unknown> };
const originalResolve = moduleInternals._resolveFilename;
if (!(originalResolve as { vscodeStub?: boolean }).vscodeStub) {
  const resolve: Resolver = function (this: unknown, request, ...rest) {
    return request === 'vscode' ? STUB_ID : originalResolve.call(this, request, ...rest);
  };
  (resolve as { vscodeStub?: boolean }).vscodeStub = true;
  moduleInternals._resolveFilename = resolve;
  moduleInternals._cache[STUB_ID] = { id: STUB_ID, filename: STUB_ID, loaded: true, exports: vscodeModule };
}
