// Preloaded with `--import` by test/unit/module-footprint.test.ts: records the URL of every module
// the process loads (module.registerHooks sees ESM imports and CommonJS requires alike) and Node's
// own internal modules (process.moduleLoadList), and writes both as JSON at exit to the file named
// by OGO_LOADED_MODULES_FILE.
import { writeFileSync } from 'node:fs';
import { registerHooks } from 'node:module';

const out = process.env['OGO_LOADED_MODULES_FILE'];
if (out === undefined) throw new Error('OGO_LOADED_MODULES_FILE names the output file');
const urls = new Set<string>();

registerHooks({
  load(url, context, nextLoad) {
    urls.add(url);
    return nextLoad(url, context);
  },
});

// Undocumented but long-standing: the names of the internal modules Node has loaded.
const { moduleLoadList } = process as unknown as { moduleLoadList: readonly string[] };

process.on('exit', () => {
  writeFileSync(out, JSON.stringify({ urls: [...urls], internals: moduleLoadList }));
});
