import { describe, expect, it } from 'vitest';
import { applyJsonPatch, applyMergePatch, PatchError } from '../../src/sandbox/patch.js';
import { applyStrategicMergePatch } from '../../src/sandbox/strategic.js';

const pod = {
  spec: {
    containers: [
      { name: 'app', image: 'a:1', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }] },
      { name: 'sidecar', image: 's:1' },
    ],
  },
};

describe('strategic merge patch', () => {
  it('merges containers and env by name', () => {
    const out = applyStrategicMergePatch(pod, { spec: { containers: [{ name: 'app', env: [{ name: 'B', value: '3' }, { name: 'C', value: '4' }] }] } });
    expect(out).toEqual({
      spec: {
        containers: [
          { name: 'app', image: 'a:1', env: [{ name: 'A', value: '1' }, { name: 'B', value: '3' }, { name: 'C', value: '4' }] },
          { name: 'sidecar', image: 's:1' },
        ],
      },
    });
  });

  it('deletes a list item marked $patch: delete', () => {
    const out = applyStrategicMergePatch(pod, { spec: { containers: [{ name: 'app', env: [{ name: 'A', $patch: 'delete' }] }] } }) as typeof pod;
    expect(out.spec.containers[0]!.env).toEqual([{ name: 'B', value: '2' }]);
  });

  it('orders a merged list by $setElementOrder, as kubectl set env sends it', () => {
    const out = applyStrategicMergePatch(pod, {
      spec: { containers: [{ name: 'app', '$setElementOrder/env': [{ name: 'B' }, { name: 'A' }], env: [{ name: 'B', value: '9' }] }] },
    }) as typeof pod;
    expect(out.spec.containers[0]!.env).toEqual([{ name: 'B', value: '9' }, { name: 'A', value: '1' }]);
  });

  it('removes a key set to null', () => {
    expect(applyStrategicMergePatch({ a: 1, b: 2 }, { a: null })).toEqual({ b: 2 });
  });

  it('rejects a patch that is not an object', () => {
    expect(() => applyStrategicMergePatch(pod, [1])).toThrow(PatchError);
  });
});

describe('JSON merge patch', () => {
  it('replaces lists instead of merging them', () => {
    const out = applyMergePatch(pod, { spec: { containers: [{ name: 'only', image: 'o:1' }] } });
    expect(out).toEqual({ spec: { containers: [{ name: 'only', image: 'o:1' }] } });
  });
});

describe('JSON patch', () => {
  it('applies add, replace, remove and escaped pointers in order', () => {
    const out = applyJsonPatch({ metadata: { annotations: { 'a/b': 'x' } }, list: [1, 2] }, [
      { op: 'replace', path: '/metadata/annotations/a~1b', value: 'y' },
      { op: 'add', path: '/list/-', value: 3 },
      { op: 'remove', path: '/list/0' },
    ]);
    expect(out).toEqual({ metadata: { annotations: { 'a/b': 'y' } }, list: [2, 3] });
  });

  it('fails a test operation that does not hold, changing nothing', () => {
    const doc = { a: 1 };
    expect(() => applyJsonPatch(doc, [{ op: 'replace', path: '/a', value: 2 }, { op: 'test', path: '/a', value: 1 }])).toThrow(PatchError);
    expect(doc).toEqual({ a: 1 });
  });

  it('rejects a body that is not a list of operations', () => {
    expect(() => applyJsonPatch({}, { op: 'add' })).toThrow(PatchError);
  });
});
