import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import type { CollectResult } from '../../src/host/collect/CollectResult';
import { SnapshotStore } from '../../src/vscode/SnapshotStore';

/** "Explain…" from a dump's editor picks the snapshot that file belongs to. */
describe('SnapshotStore.ownerOf', () => {
  it('finds the snapshot folder of a file, and the live host of an osnet-live: document', async () => {
    const store = new SnapshotStore();
    const root = path.resolve(__dirname, '../../samples/002-neutron-spoof');
    const folder = await store.open(root);
    const other = await store.open(path.resolve(__dirname, '../../samples/000-nova-nwfilter'));
    const result: CollectResult = { host: 'root@h', sections: [], complete: true, problems: [], collectedAt: '', sudo: false, durationMs: 1, bytes: 0, execs: 1 };
    const live = store.addLive('root@10.0.0.5:2222', folder.snapshot, new Map([['iptables-save_-c', 'x']]), result);
    assert.equal(live.id, SnapshotStore.liveId('root@10.0.0.5:2222'));
    assert.equal(live.root, 'osnet-live:/root%4010.0.0.5%3A2222');
    assert.equal(store.ownerOf('file', path.join(root, 'iptables-save_-c'))?.id, folder.id);
    assert.equal(store.ownerOf('file', path.join(root, 'netns', 'x', 'ip_rule'))?.id, folder.id);
    assert.equal(store.ownerOf('file', `${root}-copy/iptables-save_-c`), undefined, 'a sibling folder with the same prefix is not it');
    assert.equal(store.ownerOf('file', '/etc/passwd'), undefined);
    assert.equal(store.ownerOf('osnet-live', '/root@10.0.0.5:2222/iptables-save_-c')?.id, live.id);
    assert.equal(store.ownerOf('osnet-live', '/root@10.0.0.6/iptables-save_-c'), undefined);
    assert.equal(store.ownerOf('untitled', 'Untitled-1'), undefined);
    assert.notEqual(other.id, folder.id);
    assert.equal(store.liveText('/root@10.0.0.5:2222/iptables-save_-c'), 'x');
  });
});
