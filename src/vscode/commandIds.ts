/** Every command the extension contributes, in one table (package.json `contributes.commands` uses the same ids). */
export const COMMANDS = {
  openSnapshotFolder: 'osnet.openSnapshotFolder',
  openSample: 'osnet.openSampleSnapshot',
  explainVip: 'osnet.explainVip',
  tracePacket: 'osnet.tracePacket',
  tracePacketFromPort: 'osnet.tracePacketFromPort',
  refresh: 'osnet.refresh',
  closeSnapshot: 'osnet.closeSnapshot',
  openLocation: 'osnet.openLocation',
  connectHost: 'osnet.connectHost',
  addSshHost: 'osnet.addSshHost',
  retryHost: 'osnet.retryHost',
  forgetPassphrases: 'osnet.forgetPassphrases',
  showMore: 'osnet.showMore',
  saveSnapshot: 'osnet.saveSnapshot',
} as const;

export const VIEW_ID = 'osnet.hosts';

/** Settings the extension reads (contributes.configuration). */
export const SETTINGS = {
  section: 'osnet',
  /** `osnet.hosts`: array of {name, host, user?, port?, identityFile?, proxyJump?}. */
  hosts: 'hosts',
  /** `osnet.rememberPassphrases`: offer to keep key passphrases in SecretStorage (default false). */
  rememberPassphrases: 'rememberPassphrases',
} as const;

/**
 * `contextValue` of tree nodes, for `view/item/context` menus (and the e2e tests):
 *   osnet.host             an open snapshot: folder, sample, or a connected live host
 *   osnet.hostDisconnected a host from ~/.ssh/config or osnet.hosts, not collected yet
 *   osnet.hostFailed       such a host whose connection or collection failed
 *   osnet.error            the error node under a failed host (Retry)
 *   osnet.sectionWarning   a failed section of a live host or a collected folder's host.json ("ovs-vsctl show: command not found")
 *   osnet.port             an OpenStack port (Trace Packet From This Port…)
 */
export const CONTEXT = {
  host: 'osnet.host',
  hostDisconnected: 'osnet.hostDisconnected',
  hostFailed: 'osnet.hostFailed',
  error: 'osnet.error',
  sectionWarning: 'osnet.sectionWarning',
  settingsProblem: 'osnet.settingsProblem',
  port: 'osnet.port',
  chain: 'osnet.chain',
} as const;
