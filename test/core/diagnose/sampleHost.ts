import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import type { VipHost } from '../../../src/core/diagnose/explainVip';
import { parseIp, type IpAddress } from '../../../src/core/net/IpAddress';
import { buildSimHost } from '../../../src/core/sim/walk/buildSimHost';
import { loadSnapshot } from '../../../src/host/loadSnapshot';

/** The bundled recordings (samples/), which the diagnosis tests run on. */
export const SAMPLES = path.resolve(__dirname, '../../../samples');

/** A recorded sample as explainVip's input host, labelled with its folder name. */
export async function sampleHost(name: string): Promise<VipHost> {
  const { snapshot } = await loadSnapshot(path.join(SAMPLES, name));
  return { label: name, snapshot, sim: buildSimHost(snapshot) };
}

/** An address from a test literal (fails the test when it does not parse). */
export function ip(text: string): IpAddress {
  const v = parseIp(text);
  assert.ok(v, text);
  return v;
}
