import type {RefusalCount, RefusalStore} from '../refusal-store.ts';
import type {SqliteDatabase} from './sqlite-database.ts';

/** Creates the SQLite RefusalStore. */
export function createSqliteRefusalStore(db: SqliteDatabase): RefusalStore {
  const upsert = db.prepare(
    'INSERT INTO refusal_counts (reason, hour, count) VALUES (?, ?, ?) ON CONFLICT (reason, hour) DO UPDATE ' +
      'SET count = count + excluded.count',
  );
  const select = db.prepare<[number], RefusalCount>(
    'SELECT reason, hour, count FROM refusal_counts WHERE hour >= ? ORDER BY hour DESC, reason',
  );
  const addAll = db.transaction((hour: number, counts: ReadonlyMap<string, number>) => {
    for (const [reason, count] of counts) upsert.run(reason, hour, count);
  });
  return {
    async add(hour, counts) {
      addAll(hour, counts);
    },
    async list(sinceHour) {
      return select.all(sinceHour);
    },
  };
}
