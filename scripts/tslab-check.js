#!/usr/bin/env node
'use strict';
// Compiles the library the way the notebook kernel does (tslab's own TypeScript 5.0 and compiler options:
// CommonJS, Node10 resolution, no DOM lib) and fails on any diagnostic: "./dist/index", the compiled build
// with its .d.ts that every notebook imports (rebuilt first when stale). `tsc` alone does not catch
// declarations TypeScript 5.9 emits that 5.0 cannot read. With --src it also compiles "./src/index" as a
// notebook importing the sources would (20 s more: all of src/ through TypeScript 5.0).
const path = require('node:path');
const root = path.resolve(__dirname, '..');
process.chdir(root);
try {
  require('./build.js').ensureBuild({ who: 'tslab-check' });
} catch (e) {
  console.error(e.message);
  process.exit(1);
}
const { createConverter } = require(path.join(root, 'node_modules', 'tslab', 'dist', 'converter'));
const converter = createConverter({ isJS: false, isBrowser: false });
try {
  const entries = process.argv.includes('--src') ? ['./dist/index', './src/index'] : ['./dist/index'];
  for (const entry of entries) {
    const out = converter.convert('', `import * as sl from "${entry}";\nvoid Object.keys(sl).length;\n`);
    const diags = out.diagnostics || [];
    if (diags.length > 0) {
      console.error(`tslab (TypeScript 5.0, as in the notebook kernel) rejects ${entry} with ${diags.length} error(s):`);
      for (const d of diags) {
        const where = d.fileName ? `${d.fileName}:${d.start.line + 1}:${d.start.character + 1}` : `cell:${d.start.line + 1}`;
        console.error(`  ${where} - ${d.messageText}`);
      }
      console.error(`Fix these so notebooks can import ${entry} (no DOM globals, no TS > 5.0 features, no directory imports).`);
      process.exitCode = 1;
    }
  }
} finally {
  converter.close();
}
