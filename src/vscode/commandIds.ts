/** Every command the extension contributes, in one table (package.json `contributes.commands` uses the same ids). */
export const COMMANDS = {
  openSnapshotFolder: 'osnet.openSnapshotFolder',
  openSample: 'osnet.openSampleSnapshot',
  explainVip: 'osnet.explainVip',
  tracePacket: 'osnet.tracePacket',
  refresh: 'osnet.refresh',
  closeSnapshot: 'osnet.closeSnapshot',
  openLocation: 'osnet.openLocation',
  connectHost: 'osnet.connectHost',
  saveSnapshot: 'osnet.saveSnapshot',
} as const;

export const VIEW_ID = 'osnet.hosts';
