#!/usr/bin/env node
// The CLI is TypeScript run through tsx so a fresh clone needs no build step.
import { register } from 'tsx/esm/api';

// The pinned SDK warns on every command that future releases will drop Node 20; the CLI's users
// can do nothing about it, and it would bury the command's own output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

register();
await import('../cli/newswatch.ts');
