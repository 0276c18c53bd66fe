/** The admin console, loaded as one chunk (main.tsx): nobody else downloads it. */
export { Approvals } from './approvals';
export { Audit } from './audit';
export { Invariants } from './invariants';
export { MechanicInspector } from './mechanic-inspector';
export { SessionInspector } from './session-inspector';
export { AdminSessions } from './sessions-page';
export { Workshops } from './workshops';
