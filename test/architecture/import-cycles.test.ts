import { describe, expect, it } from 'vitest';
import { folderCycles, folderGraph } from './import-graph.js';

describe('imports between folders', () => {
  it('form no cycle: each folder can be read knowing only the folders it imports', () => {
    const graph = folderGraph('src');
    // Each cycle is named with the imports that close it, so the failure says where to cut.
    const named = folderCycles(graph).map((cycle) =>
      cycle.flatMap((from) => cycle.filter((to) => graph.get(from)?.has(to)).map((to) => graph.get(from)!.get(to)!)),
    );
    expect(named).toEqual([]);
  });

  it('finds a cycle when one exists', () => {
    const graph = new Map([
      ['a', new Map([['b', 'a.ts imports b.ts']])],
      ['b', new Map([['c', 'b.ts imports c.ts']])],
      ['c', new Map([['a', 'c.ts imports a.ts']])],
      ['d', new Map([['a', 'd.ts imports a.ts']])],
    ]);
    expect(folderCycles(graph)).toEqual([['a', 'b', 'c']]);
  });
});
