// Changing a seed processor again and again, as the change-feed tests do: each
// rename names the revision the previous one left, and must be accepted.
import { expect } from 'vitest';
import type { TestServer } from './server.js';

const UPDATE = `mutation($input: ProcessorUpdateInput!) {
  processorUpdate(input: $input) { processor { revision } userErrors { code message } }
}`;

/** A function that renames the processor called `name` (the first found) once per call. */
export async function processorRenamer(api: TestServer, authorization: string, name: string) {
  const { data } = await api.gql(`query($n: String) { processors(name: $n) { nodes { id revision } } }`, { n: name });
  let current = data!.processors.nodes[0] as { id: string; revision: number };
  return async (newName: string) => {
    const done = await api.gql(
      UPDATE,
      { input: { id: current.id, expectedRevision: current.revision, name: newName } },
      { authorization },
    );
    expect(done.data!.processorUpdate.userErrors).toEqual([]);
    current = { ...current, revision: done.data!.processorUpdate.processor.revision };
  };
}
