import { readFileSync } from 'node:fs';
import { runPromtool } from './app.js';
import { bufferIO } from './io.js';
const argv = JSON.parse(process.argv[2]!);
const io = bufferIO(process.argv[3] ? readFileSync(process.argv[3]) : '');
const code = await runPromtool(argv, io);
console.log(`--- exit ${code}\n--- stdout:\n${io.stdout()}--- stderr:\n${io.stderr()}`);
