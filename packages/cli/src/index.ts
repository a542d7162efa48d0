export { fatalErrorLine, versionText, type VersionInfo } from './binary.js';
export { FlagError, flagBool, flagNumber, flagString, parseFlags, usage, type FlagSpec, type FlagType, type FlagValue, type ParsedFlags } from './flags.js';
