import { describe, expect, it } from '@jest/globals';
import { validRange } from '@renovatebot/pep440';
import { poetryToPep440 } from '../../src/deps/pyproject/poetry.js';

describe('poetryToPep440', () => {
  const table: [string, string][] = [
    // caret
    ['^1.2.3', '>=1.2.3,<2.0.0'],
    ['^1.2', '>=1.2,<2.0'],
    ['^1', '>=1,<2'],
    ['^0.2.3', '>=0.2.3,<0.3.0'],
    ['^0.2', '>=0.2,<0.3'],
    ['^0.0.3', '>=0.0.3,<0.0.4'],
    ['^0.0', '>=0.0,<0.1'],
    ['^0', '>=0,<1'],
    ['^0.0.0', '>=0.0.0,<0.0.1'],
    ['^2.0.0b1', '>=2.0.0b1,<3.0.0'],
    ['^1.2.3.4', '>=1.2.3.4,<2.0.0.0'],
    ['^ 3.8', '>=3.8,<4.0'],
    ['^10.11.12', '>=10.11.12,<11.0.0'],
    // tilde
    ['~1.2.3', '>=1.2.3,<1.3.0'],
    ['~1.2', '>=1.2,<1.3'],
    ['~1', '>=1,<2'],
    ['~0.0.5', '>=0.0.5,<0.1.0'],
    ['~1.2.3rc1', '>=1.2.3rc1,<1.3.0'],
    // PEP 440 compatible release passes through
    ['~=1.2', '~=1.2'],
    ['~=1.2.3', '~=1.2.3'],
    // any
    ['*', ''],
    ['', ''],
    ['  *  ', ''],
    // exact
    ['1.2.3', '==1.2.3'],
    ['==1.2.3', '==1.2.3'],
    ['=1.2.3', '==1.2.3'],
    ['2.0.0rc1', '==2.0.0rc1'],
    ['1.0.post1', '==1.0.post1'],
    ['v1.2', '==1.2'],
    // wildcards
    ['1.2.*', '==1.2.*'],
    ['1.*', '==1.*'],
    ['1.2.x', '==1.2.*'],
    ['==1.2.*', '==1.2.*'],
    ['!=1.2.*', '!=1.2.*'],
    // comparisons and conjunctions
    ['>=1.2', '>=1.2'],
    ['>= 1.2', '>=1.2'],
    ['>=1.2,<2.0', '>=1.2,<2.0'],
    ['>=1.2, <2.0', '>=1.2,<2.0'],
    ['>= 1.2, < 2.0', '>=1.2,<2.0'],
    ['>=1.2 <2.0', '>=1.2,<2.0'],
    ['>1,<=2,!=1.5', '>1,<=2,!=1.5'],
    ['<>1.5', '!=1.5'],
    ['^1.2,!=1.5.0', '>=1.2,<2.0,!=1.5.0'],
    ['>=2.7,!=3.0.*,!=3.1.*', '>=2.7,!=3.0.*,!=3.1.*'],
    ['===1.0-weird', '===1.0-weird'],
  ];
  it.each(table)('%j → %j', (input, expected) => {
    const r = poetryToPep440(input);
    expect(r).toEqual({ ok: true, specifier: expected });
    // every output is a specifier set @renovatebot/pep440 accepts
    expect(validRange(expected)).toBe(true);
  });

  const refused: [string, RegExp][] = [
    ['^1.2 || ^2.0', /union/],
    ['~2.7 || ^3.6', /union/],
    ['>=1 | <0.5', /union/],
    ['^1.x', /cannot read/],
    ['^', /cannot read/],
    ['~abc', /cannot read/],
    ['>=', /cannot read|valid/],
    ['latest', /valid/],
    ['>=1.0,foo', /valid/],
  ];
  it.each(refused)('refuses %j', (input, message) => {
    const r = poetryToPep440(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(message);
  });
});
