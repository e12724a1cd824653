#!/usr/bin/env node
// The `mnemo` command: a thin shim so the bin link exists at install time; the code is built into dist/.
import '../dist/bin/mnemo.js';
