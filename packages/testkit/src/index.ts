export { CONFORMANCE_TITLE_PREFIX, describeConformance, type ConformanceCase, type ConformanceOutcome, type ConformanceSuite } from './conformance-suite.js';
export { eventually, freePort, waitForHttp } from './net.js';
export { conformanceDir, repoRoot, sharedDir } from './paths.js';
export { DEBIAN_PYTHON, peer, type Peer } from './peers.js';
export { startProcess, type RunningProcess } from './process.js';
export { HttpRecorder, type HttpRecorderOptions, type RecordedAnswer, type RecordedRequest } from './http-recorder.js';
export { tempDir } from './temp.js';
export { selfSignedCert, type TestCertificate } from './tls.js';
export { fuzzHttp, type Allowed5xx, type FuzzFinding, type FuzzOptions, type FuzzReport, type FuzzRoute } from './fuzz/fuzz-http.js';
