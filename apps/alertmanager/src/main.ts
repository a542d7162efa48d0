#!/usr/bin/env node
import { setFlagsFromString } from 'node:v8';

// The young generation keeps the size it starts with (1 MiB semi-spaces) instead of doubling up to
// 16 MiB under load: set before the rest of the binary loads, whose compilation would grow it.
// Measured on the benchmark (apps/alertmanager/README.md): RSS empty −8 MiB, with 10k alerts
// −15 to −20 MiB, for more frequent scavenges. `--max-semi-space-size` would need a node flag.
setFlagsFromString('--semi-space-growth-factor=1');
await import('./binary.js');
