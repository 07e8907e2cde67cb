// Derive a browser's manifest from the one base manifest.json.
// Usage: node tools/derive-manifest.mjs chrome|firefox manifest.json > out.json
import { readFileSync } from 'node:fs';

const [browser, path] = process.argv.slice(2);
const base = JSON.parse(readFileSync(path, 'utf8'));
const m = structuredClone(base);
const bg = base.background || {};
const script = bg.service_worker;

if (browser === 'chrome') {
  m.background = { service_worker: script, type: 'module' };
} else if (browser === 'firefox') {
  m.background = { scripts: [script], type: 'module' };
  delete m.minimum_chrome_version;
  m.browser_specific_settings = {
    gecko: {
      id: 'session-guard@session-guard.dev',
      strict_min_version: '140.0',
      data_collection_permissions: { required: ['none'] },
    },
    // data_collection_permissions needs Firefox for Android 142 (web-ext lint warns otherwise).
    gecko_android: { strict_min_version: '142.0' },
  };
} else {
  console.error(`unknown browser: ${browser}`);
  process.exit(2);
}
if (Array.isArray(m.web_accessible_resources) && m.web_accessible_resources.length === 0) delete m.web_accessible_resources;
process.stdout.write(JSON.stringify(m, null, 2) + '\n');
