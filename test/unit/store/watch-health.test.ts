import { expect } from 'chai';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sinon from 'sinon';
import { Readiness } from '../../../src/readiness.js';
import { FileStore, MemoryStore, watchStoreHealth } from '../../../src/store/index.js';
import { stateFs, type StateFs } from '../../../src/store/state-fs.js';
import { waitUntil } from '../../scale/support/wait.js';

describe('watchStoreHealth: readiness follows whether the state store can write', () => {
  it('not ready (condition "state", with the reason) while the folder cannot be written, ready again after', async () => {
    let readOnly = false;
    const fs: StateFs = { ...stateFs };
    sinon
      .stub(fs, 'open')
      .callsFake((file, flags, mode) =>
        readOnly
          ? Promise.reject(Object.assign(new Error(`EROFS: read-only file system, open '${file}'`), { code: 'EROFS' }))
          : stateFs.open(file, flags, mode),
      );
    const dir = mkdtempSync(path.join(tmpdir(), 'state-'));
    const store = await FileStore.open(dir, { fs });
    const readiness = new Readiness();
    const watch = watchStoreHealth(store, readiness, 20);
    try {
      await watch.checkNow();
      expect(readiness.ready).to.equal(true);
      readOnly = true;
      await waitUntil('the watch has seen the folder turn read-only', () => !readiness.ready);
      expect(readiness.unmet).to.have.length(1);
      expect(readiness.unmet[0]!.condition).to.equal('state');
      expect(readiness.unmet[0]!.reason).to.include(`the state folder ${dir} cannot be written (EROFS`);
      readOnly = false;
      await waitUntil('the watch has seen the folder writable again', () => readiness.ready);
    } finally {
      watch.stop();
      sinon.restore();
    }
  });

  it('leaves readiness alone for a store without a check', async () => {
    const readiness = new Readiness();
    const watch = watchStoreHealth(new MemoryStore(), readiness, 20);
    await watch.checkNow();
    watch.stop();
    expect(readiness.ready).to.equal(true);
  });
});
