export { runPromtool, VERSION } from './app.js';
export { bufferIO, processIO, type PromtoolIO } from './io.js';
