export { fatalErrorLine, versionText, type VersionInfo } from './binary.js';
export { runServiceBinary, type RunningService, type ServiceBinary } from './service-binary.js';
export { commandUsage, parseCommandLine, type ArgSpec, type CommandSpec, type ParsedCommandLine } from './commands.js';
export { FlagError, flagBool, flagNumber, flagString, flagStrings, parseFlags, usage, type FlagSpec, type FlagType, type FlagValue, type ParsedFlags } from './flags.js';
