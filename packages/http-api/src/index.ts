export { errorJson, successEnvelope, successJson, type Annotations } from './envelope.js';
export { ApiError, ErrorType, statusOf } from './error-type.js';
export { jsonString, labelsJson, samplePairJson, secondsFloatJson, timeJson, timestampJson } from './json.js';
export { limitParam, MAX_TIME_MS, MIN_TIME_MS, parseDurationParam, parseTimeParam, timeParam } from './params.js';
