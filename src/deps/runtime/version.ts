/**
 * Reading a Python version out of the many ways projects write one. Only versions with a minor
 * part count (`3` or `3.x` says nothing about end of life).
 */
const CORE = String.raw`(\d+\.\d+(?:\.\d+)?(?:(?:a|b|rc)\d+)?)`;

/** `3.8`, `3.8.10`, `3.13t`, `3.12-dev`, `3.13.0-alpha.1`, `cpython-3.12`, `pypy3.9`, `pypy-3.9-v7.3`, `pypy3.9-7.3.11`. */
const GENERIC = new RegExp(String.raw`^(?:c?python[-@]?|(pypy)-?)?${CORE}t?(?:[-+_/.~][A-Za-z0-9.+_/-]*)?$`, 'i');

/** A version from a .python-version line, a setup-python input or a matrix entry. */
export function parseRuntimeVersion(token: string): string | undefined {
  const m = GENERIC.exec(token.trim());
  return m?.[2];
}

/** A version from a `python` Docker image tag: `3.8-slim`, `3.9.18-alpine3.18`, `3.13.0rc2-bookworm`. */
export function dockerTagVersion(tag: string): string | undefined {
  const m = new RegExp(String.raw`^${CORE}(?:-.*)?$`).exec(tag.trim());
  return m?.[1];
}
