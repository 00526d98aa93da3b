import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importsOutsidePrecache, staticImports } from './site-weight.ts';

const dist = mkdtempSync(join(tmpdir(), 'marquee-weight-'));
afterAll(() => rmSync(dist, { recursive: true, force: true }));

describe('static imports of built chunks', () => {
  it('finds import…from, bare import and export…from, not dynamic import()', () => {
    const src =
      'import{a as b}from"./dist-1.js";import"./side.js";export{c}from"../up.js";' +
      'const l=()=>import("./lazy-2.js");const s=`import x from "not-code"`;';
    expect(staticImports(src).sort()).toEqual(['../up.js', './dist-1.js', './side.js']);
  });

  it('names each precached module that statically imports a file outside the precache', () => {
    mkdirSync(join(dist, 'assets'));
    const manifest = ['index.html', 'assets/page.js', 'assets/worker.js', 'assets/dist.js']
      .map((url) => `{"revision":null,"url":"${url}"}`)
      .join(',');
    writeFileSync(join(dist, 'sw.js'), `self.m=[${manifest}];`);
    writeFileSync(join(dist, 'assets/page.js'), 'import"./dist.js";const h=()=>import("./h5.js");');
    writeFileSync(
      join(dist, 'assets/worker.js'),
      'import{x}from"./dist.js";import{y}from"./h5.js";',
    );
    writeFileSync(join(dist, 'assets/dist.js'), 'export const x=1;');
    writeFileSync(join(dist, 'assets/h5.js'), 'export const y=2;');
    expect(importsOutsidePrecache(dist)).toEqual(['assets/worker.js → assets/h5.js']);
  });
});
