/**
 * Looks at a report as GitHub would show it: Markdown → HTML with a GFM renderer (marked), Mermaid blocks drawn by
 * the mermaid library when one is given, then headless Chromium → PNG. For reading a report's layout, not a test.
 *
 *   npx tsx scripts/report-screenshot.ts REPORT.md --out report.png [--mermaid path/to/mermaid.min.js]
 *     [--chromium /usr/bin/chromium] [--width 1280] [--height 6000]
 *
 * Chromium comes from Debian (`apt-get install -y chromium`); the mermaid library from npm (e.g. the one
 * @mermaid-js/mermaid-cli installs: node_modules/mermaid/dist/mermaid.min.js). Without --mermaid the blocks show as code.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Marked } from 'marked';
import { parseFlags } from '../harness/cli/args.ts';

/** Enough of GitHub's look that widths, wrapping and tables read the same. */
const CSS = `
body { font: 16px/1.5 -apple-system, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif; color: #1f2328; max-width: 1012px; margin: 32px auto; padding: 0 32px; }
h1, h2 { border-bottom: 1px solid #d1d9e0; padding-bottom: .3em; } h1 { font-size: 2em; } h2 { font-size: 1.5em; margin-top: 24px; } h3 { font-size: 1.25em; }
table { border-collapse: collapse; display: block; width: max-content; max-width: 100%; overflow: auto; margin: 16px 0; }
th, td { border: 1px solid #d1d9e0; padding: 6px 13px; } tr:nth-child(2n) { background: #f6f8fa; } th { font-weight: 600; }
code { background: #eff1f3; border-radius: 6px; padding: .2em .4em; font-size: 85%; font-family: ui-monospace, SFMono-Regular, Menlo, monospace; }
pre { background: #f6f8fa; padding: 16px; overflow: auto; border-radius: 6px; } pre code { background: none; padding: 0; }
hr { border: 0; height: 4px; background: #d1d9e0; } a { color: #0969da; text-decoration: none; }
.mermaid { margin: 16px 0; }`;

function page(markdown: string, title: string, mermaid: string | undefined): string {
  const marked = new Marked({ gfm: true });
  marked.use({
    renderer: {
      // Mermaid blocks become <pre class="mermaid"> for the library to draw, as GitHub does.
      code({ text, lang }) {
        if (lang !== 'mermaid' || !mermaid) return false;
        return `<pre class="mermaid">${text.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</pre>\n`;
      },
    },
  });
  const body = marked.parse(markdown, { async: false });
  const script = mermaid
    ? `<script src="${pathToFileURL(mermaid).href}"></script><script>mermaid.initialize({ startOnLoad: false }); mermaid.run().then(() => { document.title = 'drawn'; });</script>`
    : '';
  return `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title><style>${CSS}</style></head><body>${body}${script}</body></html>`;
}

const { values, positionals } = parseFlags(process.argv.slice(2), {
  out: { type: 'string' }, mermaid: { type: 'string' }, chromium: { type: 'string' }, width: { type: 'string' }, height: { type: 'string' },
});
const input = positionals[0];
if (!input || typeof values.out !== 'string') {
  console.error('usage: report-screenshot.ts REPORT.md --out FILE.png [--mermaid mermaid.min.js] [--chromium PATH] [--width N] [--height N]');
  process.exit(2);
}
const dir = mkdtempSync(join(tmpdir(), 'fusebench-shot-'));
const html = join(dir, 'page.html');
const mermaid = typeof values.mermaid === 'string' ? resolve(values.mermaid) : undefined;
writeFileSync(html, page(readFileSync(input, 'utf8'), basename(input), mermaid));
const chromium = typeof values.chromium === 'string' ? values.chromium : '/usr/bin/chromium';
execFileSync(chromium, [
  '--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', `--user-data-dir=${mkdtempSync(join(tmpdir(), 'fusebench-chromium-'))}`, '--hide-scrollbars',
  // Mermaid draws after load: give it virtual time.
  '--virtual-time-budget=15000', `--window-size=${values.width ?? 1280},${values.height ?? 6000}`, `--screenshot=${resolve(values.out)}`,
  pathToFileURL(html).href,
], { stdio: 'inherit' });
console.log(`wrote ${resolve(values.out)} (HTML: ${html})`);
