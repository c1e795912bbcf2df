import { createRule } from '../../core/types.js';
import type { SyntaxNode } from '../../python/parser.js';
import { argument, hasSplat, keywordArg, unparen } from '../../python/ast.js';
import { constantString } from '../../python/values.js';
import { methodCall, producedBy } from '../../python/receivers.js';

const TAR_FACTORIES = new Set(
  ['open', 'TarFile', 'TarFile.open', 'TarFile.taropen', 'TarFile.gzopen', 'TarFile.bz2open', 'TarFile.xzopen', 'TarFile.zstopen'].map(
    (n) => `tarfile.${n}`,
  ),
);
const ZIP_FACTORIES = new Set(['zipfile.ZipFile', 'zipfile.PyZipFile']);
const UNPACK_ARCHIVE = 'shutil.unpack_archive';

/** Methods that list every member: passing their result as `members` vets nothing. */
const ALL_MEMBERS = new Set(['getmembers', 'infolist', 'namelist']);

/** Filters that keep the old, unsafe behaviour. */
const UNSAFE_FILTERS = new Set(['fully_trusted']);

export default createRule({
  meta: {
    id: 'unsafe-archive-extraction',
    area: 'secure-coding',
    summary: 'An archive is extracted without a path-safety filter, so its entries can write outside the target directory.',
    severity: 'high',
    confidence: 'medium',
    cwe: ['CWE-22'],
    owasp: ['A01:2021'],
    bandit: ['B202'],
    ruff: ['S202'],
    messages: {
      tar:
        '`{{call}}` extracts every member without `filter="data"`: a crafted tar file can use `../` paths, absolute paths or links to overwrite any file the process can write.',
      unpack:
        '`shutil.unpack_archive()` is called without `filter="data"`: a crafted tar archive can use `../` paths, absolute paths or links to overwrite any file the process can write.',
      zip:
        '`{{call}}` extracts every member of the archive unchecked: zipfile strips `..` and absolute paths, but the archive still decides which files are created, how many and how large (zip bombs), so vet untrusted archives first.',
    },
    docs: {
      whatItDoes:
        'Flags `extractall()` on a tar archive opened with `tarfile.open` / `tarfile.TarFile` (directly, through a name bound once, or in `with ... as tf:`) and `shutil.unpack_archive()` when no `filter=` is given (or `filter="fully_trusted"`), and, with low confidence, `extractall()` on a `zipfile.ZipFile`. Calls that pass an explicit `members=` list are assumed vetted and not flagged, nor are files that set `TarFile.extraction_filter`.',
      whyBad:
        'Archive entries carry their own file names. A tar member named `../../home/app/.ssh/authorized_keys` or `/etc/cron.d/job`, or a symbolic link followed by a file written through it, is written outside the extraction directory ("Zip Slip", CVE-2007-4559): whoever controls the archive can overwrite code, configuration or credentials. Before Python 3.14, `tarfile` extracts such members as they are unless a filter is given. `zipfile` removes `..` and absolute paths, but an unchecked archive still controls what is created and can exhaust the disk.',
      example: 'import tarfile\n\nwith tarfile.open(upload_path) as tf:\n    tf.extractall(dest)',
      useInstead:
        'import tarfile\n\nwith tarfile.open(upload_path) as tf:\n    # Python 3.12+ (and 3.8.17, 3.9.17, 3.10.12, 3.11.4): rejects absolute paths,\n    # `..`, links outside dest, device files, and drops dangerous permission bits.\n    tf.extractall(dest, filter="data")',
      fixSafety:
        'No automatic fix: `filter="data"` needs a Python release that has extraction filters (3.12+, or 3.8.17 / 3.9.17 / 3.10.12 / 3.11.4 and later) and raises on older ones; it also refuses members that the current code accepts. On older Pythons, check each member\'s resolved path before extracting it.',
      references: [
        'https://docs.python.org/3/library/tarfile.html#tarfile-extraction-filter',
        'https://peps.python.org/pep-0706/',
        'https://docs.python.org/3/library/zipfile.html#zipfile.ZipFile.extractall',
        'https://docs.python.org/3/library/shutil.html#shutil.unpack_archive',
        'https://security.snyk.io/research/zip-slip-vulnerability',
      ],
    },
    fixable: false,
  },
  callFilter: (name, method) => method === 'extractall' || name === UNPACK_ARCHIVE,
  textFilters: { assignment: (text) => text.includes('extraction_filter') },
  create(ctx) {
    /** Findings that a file-wide `TarFile.extraction_filter = ...` would cancel. */
    const pending: { node: SyntaxNode; messageId: string; call: string }[] = [];
    let globalFilter = false;

    /** True when the call passes a filter that makes extraction safe (or unknown). */
    const hasFilter = (call: SyntaxNode): boolean => {
      const f = keywordArg(call, 'filter');
      if (!f) return false;
      const q = ctx.qualifiedName(unparen(f));
      if (q === 'tarfile.fully_trusted_filter') return false;
      const s = constantString(ctx, f);
      return s === null || !UNSAFE_FILTERS.has(s);
    };

    return {
      call(node) {
        if (hasSplat(node)) return;
        const name = ctx.calleeName(node);
        if (name === UNPACK_ARCHIVE) {
          if (!hasFilter(node)) pending.push({ node, messageId: 'unpack', call: name });
          return;
        }
        if (name !== null) return;
        const m = methodCall(node);
        if (!m || m.method !== 'extractall') return;
        const made = producedBy(ctx, m.receiver);
        if (!made) return;
        const isTar = TAR_FACTORIES.has(made);
        if (!isTar && !ZIP_FACTORIES.has(made)) return;
        const members = argument(node, 1, 'members');
        if (members && !(members.type === 'call' && ALL_MEMBERS.has(methodCall(members)?.method ?? ''))) return;
        if (isTar) {
          if (!hasFilter(node)) pending.push({ node, messageId: 'tar', call: 'TarFile.extractall' });
          return;
        }
        ctx.report({ node, messageId: 'zip', data: { call: 'ZipFile.extractall' }, severity: 'medium', confidence: 'low' });
      },
      assignment(node) {
        const left = node.childForFieldName('left');
        if (left?.type === 'attribute' && left.childForFieldName('attribute')?.text === 'extraction_filter') {
          globalFilter = true;
        }
      },
      'module:exit'() {
        if (globalFilter) return;
        for (const p of pending) ctx.report({ node: p.node, messageId: p.messageId, data: { call: p.call } });
      },
    };
  },
});
