/**
 * The sync model (model.ts) against the in-memory server: many random cases, fast. The same model runs
 * against the real central service in test/server/convergence.test.ts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { useCleanup } from '../fixtures.ts';
import { action, memoryModel, run } from './model.ts';

useCleanup();

describe('replicas converge and nothing is lost', () => {
  it('random edits, additions, archives and syncs over a lossy network (fast-check)', async () => {
    const seed = Number(process.env.DX_SYNC_SEED ?? Date.now() % 2_147_483_647);
    // The seed goes to the test output: a failing run is reproduced with DX_SYNC_SEED=<seed>.
    process.stdout.write(`sync convergence seed: ${seed}\n`);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 2, max: 5 }), fc.array(action, { minLength: 5, maxLength: 30 }), async (n, actions) => {
        await run(memoryModel(), n, actions);
      }),
      { seed, numRuns: 25 },
    );
  }, 180_000);

  it('regression (seed 932980249): the same value entered on two laptops, then changed on one, is not a lost edit', async () => {
    await run(memoryModel(), 2, [
      { kind: 'answer', replica: 0, item: 'ceo_vision', value: 4 },
      { kind: 'answer', replica: 1, item: 'ceo_vision', value: 4 },
      { kind: 'answer', replica: 1, item: 'ceo_vision', value: 1 },
      { kind: 'archive', replica: 0 },
      { kind: 'sync', replica: 0, push: undefined, pull: undefined },
    ]);
  });

  it('regression (seed 933592748): an equal edit on a third laptop is kept by the conflict that holds its value', async () => {
    await run(memoryModel(), 3, [
      { kind: 'answer', replica: 1, item: 'ceo_involvement', value: 5 },
      { kind: 'answer', replica: 0, item: 'ceo_involvement', value: 5 },
      { kind: 'sync', replica: 0, push: undefined, pull: undefined },
      { kind: 'answer', replica: 2, item: 'ceo_involvement', value: 1 },
    ]);
  });

  it('regression: two laptops edit the same answer, one loses its push answer, both sync twice', async () => {
    await run(memoryModel(), 2, [
      { kind: 'answer', replica: 0, item: 'ceo_vision', value: 2 },
      { kind: 'answer', replica: 1, item: 'ceo_vision', value: 4 },
      { kind: 'sync', replica: 0, push: 'after', pull: undefined },
      { kind: 'sync', replica: 1, push: undefined, pull: 'before' },
      { kind: 'answer', replica: 0, item: 'ceo_vision', value: 5 },
    ]);
  });

  it('a contact deleted on one laptop while the other edits it, the delete’s answer lost: one conflict, both converge', async () => {
    const state = await run(memoryModel(), 2, [
      { kind: 'contact', replica: 0, name: '김담당' },
      { kind: 'sync', replica: 0, push: undefined, pull: undefined },
      { kind: 'sync', replica: 1, push: undefined, pull: undefined },
      { kind: 'dropContact', replica: 0 },
      { kind: 'phone', replica: 1, phone: '031-400-5000' },
      { kind: 'sync', replica: 0, push: 'after', pull: undefined },
      { kind: 'sync', replica: 1, push: undefined, pull: undefined },
    ]);
    expect(state.conflicts.filter((c) => c.tbl === 'contacts' && c.field === 'deleted_at')).toHaveLength(1);
  });
});
