/**
 * The staff directory: people, their roles (per process or everywhere), team, skills and the
 * attributes processes use, every change a numbered, audited version (docs/operators.md).
 */
export { StaffDirectory, importStaffWithin, lockDirectory, type GrantOptions, type ListFilter } from './staff-directory.js';
export { parseStaffFile, readStaffFile, csvColumns, type StaffEntry, type StaffFile, type StaffFileFormat } from './staff-file.js';
export { DirectoryError, directoryErrorCodes, type DirectoryErrorCode, type StaffFileProblem } from './errors.js';
export {
  EVERY_PROCESS, appliesIn, approvalLimit, roleLabel,
  type Attributes, type ChangeAuthor, type ChangeKind, type ChangeResult, type DirectoryChange, type DirectoryVersion, type RoleGrant, type StaffPerson,
} from './types.js';
