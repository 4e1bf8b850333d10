#!/usr/bin/env node
'use strict';
// Starts the tslab kernel with the repository root as its working directory. tslab compiles local
// TypeScript with the working directory as rootDir, so a kernel started in notebooks/ could not import
// ../src; from the root, every notebook imports the library as "./src" and reads "data/...".
const path = require('node:path');
const root = process.env.SIEMLAB_ROOT || path.resolve(__dirname, '..');
process.chdir(root);
require(path.join(root, 'node_modules', 'tslab', 'dist', 'main.js')).main();
