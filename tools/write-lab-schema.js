#!/usr/bin/env node
// Publishes the lab file JSON Schema (lib/labfile/schema.ts) as schema/lab.schema.json for
// editors. Run by `npm run schema:lab` after `npm run build`; a test checks the two agree.
'use strict';
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { LAB_FILE_SCHEMA } = require('../dist/lib/labfile/schema');
writeFileSync(join(__dirname, '..', 'schema', 'lab.schema.json'), `${JSON.stringify(LAB_FILE_SCHEMA, null, 2)}\n`);
