import type { Rule } from '../../core/types.js';
import csrfProtectionDisabled from './csrf-protection-disabled.js';
import routeMissingAuth from './route-missing-auth.js';
import drfPermissionDisabled from './drf-permission-disabled.js';
import massAssignment from './mass-assignment.js';
import corsPermissive from './cors-permissive.js';
import trustBoundaryViolation from './trust-boundary-violation.js';
import assertUsedForAuthorization from './assert-used-for-authorization.js';

export const rules: Rule[] = [
  csrfProtectionDisabled,
  routeMissingAuth,
  drfPermissionDisabled,
  massAssignment,
  corsPermissive,
  trustBoundaryViolation,
  assertUsedForAuthorization,
];
