import type { Rule } from '../../core/types.js';
import unsafeArchiveExtraction from './unsafe-archive-extraction.js';
import permissiveFileMode from './permissive-file-mode.js';
import xmlExternalEntities from './xml-external-entities.js';
import dynamicCodeExecution from './dynamic-code-execution.js';
import insecureTempFile from './insecure-temp-file.js';
import jinja2AutoescapeDisabled from './jinja2-autoescape-disabled.js';
import openRedirect from './open-redirect.js';
import passwordFastHash from './password-fast-hash.js';
import pathTraversal from './path-traversal.js';
import shellCommandBuilt from './shell-command-built.js';
import unescapedMarkup from './unescaped-markup.js';
import unsafeDeserialization from './unsafe-deserialization.js';
import weakRandomToken from './weak-random-token.js';
import yamlUnsafeLoad from './yaml-unsafe-load.js';

export const rules: Rule[] = [
  dynamicCodeExecution,
  shellCommandBuilt,
  unsafeDeserialization,
  yamlUnsafeLoad,
  jinja2AutoescapeDisabled,
  unescapedMarkup,
  openRedirect,
  pathTraversal,
  insecureTempFile,
  passwordFastHash,
  weakRandomToken,
  xmlExternalEntities,
  permissiveFileMode,
  unsafeArchiveExtraction,
];
