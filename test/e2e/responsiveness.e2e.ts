/**
 * End-to-end: the extension host stays responsive while the workspace is analysed. The
 * workspace holds one module three times the size of a big project's (bench/large-project-module.ts):
 * decoding it takes seconds. While the status bar still shows the analysis running, a wasm-perf
 * command answers. Ordering only, never a timing threshold: the command's quick pick must appear
 * before the analysis ends, then the module's findings arrive. (Were the module decoded on the
 * extension host's thread, the command would wait for the decode, which ends the analysis.)
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { LARGE_PROJECT, generateLargeProjectModule } from '../../bench/large-project-module';
import { E2eSession, poll, problemsText, runCommand } from './harness';

const TIMEOUT = 300_000;
/** About 135 MB: one module, so the decode is one long piece of work. */
const SHAPE = { functions: LARGE_PROJECT.functions * 3, dwarfBytes: LARGE_PROJECT.dwarfBytes * 3 };

let session: E2eSession;

function makeWorkspace(): string {
  const dir = join(session.scratch, 'large');
  // Binary rules judge a crate's build outputs: the modules sit where cargo puts them.
  const release = join(dir, 'target/wasm32-unknown-unknown/release');
  mkdirSync(release, { recursive: true });
  writeFileSync(
    join(dir, 'Cargo.toml'),
    '[package]\nname = "large"\nversion = "0.1.0"\nedition = "2021"\n\n[lib]\ncrate-type = ["cdylib"]\n',
  );
  writeFileSync(join(release, 'large.wasm'), generateLargeProjectModule(SHAPE));
  return dir;
}

/** Is the status bar's wasm-perf item spinning (an analysis running)? */
async function analysing(page: Page): Promise<boolean> {
  return (await page.locator('.statusbar-item', { hasText: 'wasm-perf:' }).first().locator('.codicon-modifier-spin').count()) > 0;
}

describe('responsiveness during analysis in a real VS Code (code-server)', () => {
  let page: Page;

  before(async () => {
    session = await E2eSession.start('responsiveness');
  });

  after(() => session?.dispose());

  it('answers a command while the analysis of a large module is still running', { timeout: TIMEOUT }, () =>
    session.step(
      () => page,
      'responsiveness',
      async () => {
        const workspace = makeWorkspace();
        const server = await session.startCodeServer('responsiveness');
        page = await session.openWorkbench(server, workspace, true);
        await poll('the status bar to show the analysis running', async () => ((await analysing(page)) ? true : undefined));
        await runCommand(page, 'wasm-perf: Show Rule Documentation');
        await page.locator('.quick-input-list .monaco-list-row', { hasText: 'release-lto' }).first().waitFor();
        const stillAnalysing = await analysing(page);
        await session.shot(page, 'command-answered');
        assert.ok(stillAnalysing, "the command's quick pick appeared only after the analysis had ended");
        await page.keyboard.press('Escape');
        await poll('the analysis to end', async () => ((await analysing(page)) ? undefined : true));
        const problems = await poll('the module’s findings in the Problems panel', async () => {
          const text = await problemsText(page);
          return text.includes('wasm-debug-info') ? text : undefined;
        });
        assert.match(problems, /large\.wasm/);
        await session.shot(page, 'analysis-done');
      },
    ),
  );
});
