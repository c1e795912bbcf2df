import rule from '../../src/rules/secure-coding/unsafe-archive-extraction.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    'import tarfile\nwith tarfile.open(p) as tf:\n    tf.extractall(dest, filter="data")',
    'import tarfile\ntarfile.open(p).extractall(dest, filter="tar")',
    { name: 'filter function', code: 'import tarfile\nwith tarfile.open(p) as tf:\n    tf.extractall(dest, filter=tarfile.data_filter)' },
    { name: 'filter from a variable', code: 'import tarfile\ndef f(p, flt):\n    tarfile.open(p).extractall(filter=flt)' },
    { name: 'vetted members', code: 'import tarfile\nwith tarfile.open(p) as tf:\n    tf.extractall(dest, members=safe_members(tf))' },
    { name: 'vetted members positional', code: 'import tarfile\ntf = tarfile.open(p)\ntf.extractall(dest, [m for m in tf.getmembers() if ok(m)])' },
    {
      name: 'file-wide extraction_filter',
      code: 'import tarfile\ntarfile.TarFile.extraction_filter = staticmethod(tarfile.data_filter)\ntarfile.open(p).extractall(dest)',
    },
    { name: 'unpack_archive with filter', code: 'import shutil\nshutil.unpack_archive(p, dest, filter="data")' },
    { name: 'zipfile extract of a single constant name', code: 'import zipfile\nwith zipfile.ZipFile(p) as zf:\n    zf.extract("report.csv", dest)' },
    { name: 'unknown receiver', code: 'archive = load(p)\narchive.extractall(dest)' },
    { name: 'receiver rebound', code: 'import tarfile\ntf = tarfile.open(p)\ntf = Other()\ntf.extractall(dest)' },
    { name: 'shadowed tarfile', code: 'def f(tarfile):\n    tarfile.open(p).extractall(dest)' },
    { name: 'look-alike extractall', code: 'import patoolib\npatoolib.extract_archive(p, outdir=d)\nself.extractall(d)' },
    { name: 'kwargs may carry the filter', code: 'import tarfile\ntarfile.open(p).extractall(dest, **opts)' },
  ],
  invalid: [
    {
      code: 'import tarfile\nwith tarfile.open(p) as tf:\n    tf.extractall(dest)',
      errors: [{ line: 3, column: 5, messageId: 'tar' }],
      output: null,
    },
    {
      name: 'chained open',
      code: 'import tarfile as t\nt.open(p, "r:gz").extractall()',
      errors: [{ line: 2, messageId: 'tar' }],
    },
    {
      name: 'bound once, TarFile constructor',
      code: 'from tarfile import TarFile\ndef f(p):\n    tf = TarFile(p)\n    tf.extractall(path="/srv")',
      errors: [{ line: 4, messageId: 'tar' }],
    },
    {
      name: 'fully_trusted filter',
      code: 'import tarfile\ntarfile.open(p).extractall(dest, filter="fully_trusted")',
      errors: [{ line: 2, messageId: 'tar' }],
    },
    {
      name: 'members listing everything vets nothing',
      code: 'import tarfile\nwith tarfile.open(p) as tf:\n    tf.extractall(dest, members=tf.getmembers())',
      errors: [{ line: 3, messageId: 'tar' }],
    },
    {
      name: 'shutil.unpack_archive',
      code: 'from shutil import unpack_archive as ua\nua(upload, "/srv/data")',
      errors: [{ line: 2, messageId: 'unpack' }],
    },
    {
      name: 'zipfile, low confidence',
      code: 'import zipfile\nwith zipfile.ZipFile(p) as zf:\n    zf.extractall(dest)',
      errors: [{ line: 3, messageId: 'zip', severity: 'medium' }],
    },
    {
      name: 'several with items',
      code: 'import tarfile, zipfile\ndef f(a, b):\n    with tarfile.open(a) as tf, zipfile.ZipFile(b) as zf:\n        zf.extractall()\n        tf.extractall()',
      errors: [
        { line: 4, messageId: 'zip' },
        { line: 5, messageId: 'tar' },
      ],
    },
  ],
});
