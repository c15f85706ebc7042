#!/usr/bin/env node
// The `aftercare` command. The code is TypeScript run through tsx, so there is no build step
// and nothing compiled to commit or forget to rebuild.
import { register } from 'tsx/esm/api';

register();
await import('../cli/main.ts');
