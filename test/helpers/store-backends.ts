import {defaultSettings} from '../../server/settings/settings.ts';
import {randomBytes} from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {after, before} from 'node:test';
import {createSecretBox, type SecretBox} from '../../server/crypto/secret-box.ts';
import {openStore} from '../../server/db/open-store.ts';
import type {Store} from '../../server/db/store.ts';
import {startPostgres, type ThrowAwayPostgres} from './postgres-server.ts';

/** A fake clock every store of a test shares. */
export interface TestClock {
  time: number;
  now: () => number;
}

/** One fresh database and a way to open stores on it, as separate server processes would. */
export interface TestDatabase {
  /** DATABASE_URL or DATABASE_PATH of the database. */
  settings: {databasePath: string; databaseUrl?: string};
  /** The database's SECRET_KEY, and its box. */
  masterKey: Buffer;
  box: SecretBox;
  clock: TestClock;
  /** Opens another store on the database (with `box` unless given), closed after the test file. */
  open(box?: SecretBox): Promise<Store>;
}

/** A database the tests can run on: SQLite files, or databases of a throw-away PostgreSQL server. */
export interface StoreBackend {
  name: 'SQLite' | 'PostgreSQL';
  /** Creates an empty database. */
  createDatabase(): Promise<TestDatabase>;
}

/**
 * The two backends, for suites that must hold on both. The PostgreSQL server starts before the
 * file's tests and stops after them; without PostgreSQL installed its tests fail saying how to get it.
 */
export function storeBackends(): StoreBackend[] {
  let postgres: ThrowAwayPostgres | undefined;
  let missing: Error | undefined;
  const opened: Store[] = [];
  before(async () => {
    try {
      postgres = await startPostgres();
    } catch (error) {
      missing = error as Error;
    }
  });
  after(async () => {
    await Promise.all(opened.map((store) => store.close()));
    await postgres?.stop();
  });
  const database = (settings: TestDatabase['settings']): TestDatabase => {
    const clock: TestClock = {time: 1_800_000_000_000, now: () => clock.time};
    const masterKey = randomBytes(32);
    const box = createSecretBox(masterKey);
    return {
      settings,
      masterKey,
      box,
      clock,
      async open(withBox = box) {
        const store = await openStore({...defaultSettings(), ...settings}, withBox, {
          now: clock.now,
        });
        opened.push(store);
        return store;
      },
    };
  };
  return [
    {
      name: 'SQLite',
      createDatabase: async () =>
        database({databasePath: path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'wecom-store-')), 'login.db')}),
    },
    {
      name: 'PostgreSQL',
      async createDatabase() {
        if (!postgres) throw missing ?? new Error('PostgreSQL did not start');
        return database({databasePath: '', databaseUrl: await postgres.createDatabase()});
      },
    },
  ];
}
