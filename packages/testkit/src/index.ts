export { freePort, waitForHttp } from './net.js';
export { conformanceDir, repoRoot, sharedDir } from './paths.js';
export { DEBIAN_PYTHON, peer, startProcess, type Peer, type RunningProcess } from './peers.js';
export { tempDir } from './temp.js';
