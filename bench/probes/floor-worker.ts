// The floor written from a dedicated worker, as the terminal writes its intake: the page posts the plate
// typed, the worker puts it raw and answers with the epoch time of the transaction's 'complete'.
import { openFloor, putRow } from './floor-row.ts';

export interface FloorRequest {
  i: number;
  lic: string;
  durability: IDBTransactionDurability;
}
export type FloorReply = { i: number; ok: true; completedAt: number } | { i: number; ok: false; message: string };

let floor: Promise<IDBDatabase> | undefined;

self.onmessage = (event: MessageEvent<FloorRequest>) => {
  const { i, lic, durability } = event.data;
  (floor ??= openFloor())
    .then((db) => putRow(db, lic, i, durability))
    .then(
      () => postMessage({ i, ok: true, completedAt: performance.timeOrigin + performance.now() } satisfies FloorReply),
      (error: unknown) => postMessage({ i, ok: false, message: String(error) } satisfies FloorReply),
    );
};
