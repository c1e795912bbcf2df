import { describe, expect, it } from '@jest/globals';
import { isTestPath } from '../../src/python/module-info.js';

describe('isTestPath', () => {
  it.each([
    ['tests/test_app.py', true],
    ['pkg/tests/helpers.py', true],
    ['test/settings.py', true],
    ['src/__tests__/x.py', true],
    ['fixtures/users.py', true],
    ['test_views.py', true],
    ['views_test.py', true],
    ['api_tests.py', true],
    ['conftest.py', true],
    ['pkg/tests.py', true],
    ['test_utils.py', true],
    ['testutils.py', true],
    ['app.py', false],
    ['contest.py', false],
    ['latest/app.py', false],
    ['attestation.py', false],
    ['src/testimonials/views.py', false],
  ])('%s → %s', (path, expected) => {
    expect(isTestPath(path)).toBe(expected);
  });
});
