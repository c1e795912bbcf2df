import { createRule } from '../../core/types.js';
import type { SyntaxNode } from '../../python/parser.js';
import { argument, hasSplat, isFalse, isTrue, keywordArg, unparen } from '../../python/ast.js';
import { isConstant } from '../../python/values.js';
import { isTainted } from '../../python/taint.js';

/** Loaders that run code from their input; value: keyword name of the data argument. */
/** Loaders whose argument is the serialized data itself (not a file or a path). */
const BYTES_LOADERS = new Set([
  'pickle.loads', 'cPickle.loads', '_pickle.loads', 'cloudpickle.loads', 'dill.loads', 'marshal.loads',
  'jsonpickle.decode', 'jsonpickle.loads', 'jsonpickle.unpickler.decode',
]);

const LOADERS: Record<string, string> = {
  'pickle.loads': 'data',
  'pickle.load': 'file',
  'pickle.Unpickler': 'file',
  'cPickle.loads': 'data',
  'cPickle.load': 'file',
  'cPickle.Unpickler': 'file',
  '_pickle.loads': 'data',
  '_pickle.load': 'file',
  '_pickle.Unpickler': 'file',
  'cloudpickle.loads': 'data',
  'cloudpickle.load': 'file',
  'dill.loads': 'str',
  'dill.load': 'file',
  'dill.Unpickler': 'file',
  'marshal.loads': 'bytes',
  'marshal.load': 'file',
  'shelve.open': 'filename',
  'jsonpickle.decode': 'string',
  'jsonpickle.loads': 'string',
  'jsonpickle.unpickler.decode': 'string',
  'pandas.read_pickle': 'filepath_or_buffer',
  'joblib.load': 'filename',
  'sklearn.externals.joblib.load': 'filename',
};

export default createRule({
  meta: {
    id: 'unsafe-deserialization',
    area: 'secure-coding',
    summary: 'Data is loaded with a deserializer that can run arbitrary code (pickle, marshal, shelve, torch.load...).',
    severity: 'high',
    confidence: 'medium',
    cwe: ['CWE-502'],
    owasp: ['A08:2021'],
    bandit: ['B301', 'B302', 'B614'],
    ruff: ['S301', 'S302'],
    messages: {
      deserialize:
        '`{{fn}}()` can run arbitrary code while it loads its input; use it only on data that no one else could have written.',
      request:
        '`{{fn}}()` loads data from the HTTP request: anyone who can send a request can run arbitrary code on the server.',
      torch:
        '`torch.load()` without `weights_only=True` unpickles arbitrary objects on PyTorch before 2.6; a malicious checkpoint runs code when it is loaded.',
      torchUnsafe:
        '`torch.load(..., weights_only=False)` unpickles arbitrary objects; a malicious checkpoint runs code when it is loaded.',
      numpy:
        '`numpy.load(..., allow_pickle=True)` unpickles object arrays; a malicious `.npy`/`.npz` file runs code when it is loaded.',
    },
    docs: {
      whatItDoes:
        'Flags deserializers that can execute code embedded in their input: `pickle`/`cPickle`/`_pickle`/`cloudpickle`/`dill` `load`, `loads` and `Unpickler`, `marshal.load(s)`, `shelve.open`, `jsonpickle.decode`, `pandas.read_pickle`, `joblib.load`, `torch.load` unless `weights_only=True`, and `numpy.load(..., allow_pickle=True)`. Serialising (`pickle.dumps`) is not flagged, nor is `json.loads`, nor constant bytes (`pickle.loads(b"...")`). A loader given a fixed path (`joblib.load("model.joblib")`) is reported at medium severity and low confidence: the file is only as trustworthy as whoever can write it. Attacker-controlled data reaching a loader is critical.',
      whyBad:
        'A pickle is not data, it is a small program: while loading, `pickle` calls whatever callables the stream names (`__reduce__`), so `os.system("...")` can be one of them. Anyone who can write the bytes being loaded (an upload, a cookie, a cache shared with other services, a model file downloaded from the internet) can run code in your process. `marshal` is not meant for untrusted data either and can crash the interpreter. Signing the data (HMAC) before unpickling helps only when the key stays secret.',
      example:
        'import pickle\n\ndef restore(request):\n    state = pickle.loads(request.body)\n    return state["cart"]',
      useInstead:
        'import json\n\ndef restore(request):\n    # JSON only ever produces dicts, lists, strings, numbers, booleans and None.\n    state = json.loads(request.body)\n    return state["cart"]\n\n# Model weights: torch.load(path, weights_only=True), or the safetensors format.',
      fixSafety:
        'No automatic fix: switching formats (JSON, MessagePack, safetensors, `weights_only=True`) changes what can be stored and needs existing data to be migrated.',
      references: [
        'https://docs.python.org/3/library/pickle.html#restricting-globals',
        'https://cheatsheetseries.owasp.org/cheatsheets/Deserialization_Cheat_Sheet.html#python',
        'https://pytorch.org/docs/stable/generated/torch.load.html',
        'https://numpy.org/doc/stable/reference/generated/numpy.load.html',
      ],
    },
    fixable: false,
  },
  callFilter: (name) => name !== null && (Object.hasOwn(LOADERS, name) || name === 'torch.load' || name === 'numpy.load'),
  create(ctx) {
    function reportLoad(node: SyntaxNode, fn: string, data: SyntaxNode | null, messageId: string): void {
      // Constant bytes are known data; a constant *path* is not: whoever can write that file
      // (an upload, a shared volume, a downloaded model) decides what gets unpickled.
      if (data && isConstant(ctx, data) && BYTES_LOADERS.has(fn)) return;
      if (data && isConstant(ctx, data)) {
        // A fixed file of the application: risky only if others can write it.
        ctx.report({ node, messageId, data: { fn }, severity: 'medium', confidence: 'low' });
        return;
      }
      if (data && isTainted(ctx, data, 'deserialization')) {
        ctx.report({ node, messageId: 'request', data: { fn }, severity: 'critical', confidence: 'high' });
        return;
      }
      ctx.report({ node, messageId, data: { fn } });
    }

    return {
      call(node) {
        const name = ctx.calleeName(node);
        if (!name) return;
        const kw = LOADERS[name];
        if (kw) {
          reportLoad(node, name, argument(node, 0, kw), 'deserialize');
          return;
        }
        if (name === 'torch.load') {
          const weightsOnly = keywordArg(node, 'weights_only');
          if (weightsOnly) {
            // weights_only=True is safe; a non-literal value is unknown: stay silent.
            if (isFalse(unparen(weightsOnly))) reportLoad(node, name, argument(node, 0, 'f'), 'torchUnsafe');
            return;
          }
          if (hasSplat(node)) return;
          const data = argument(node, 0, 'f');
          if (data && isTainted(ctx, data, 'deserialization')) {
            ctx.report({ node, messageId: 'request', data: { fn: name }, severity: 'critical', confidence: 'high' });
            return;
          }
          // PyTorch 2.6 made weights_only=True the default: how bad this is depends on the version.
          ctx.report({ node, messageId: 'torch', severity: 'medium', confidence: 'medium' });
          return;
        }
        if (name === 'numpy.load') {
          const allow = keywordArg(node, 'allow_pickle');
          if (allow && isTrue(unparen(allow))) reportLoad(node, name, argument(node, 0, 'file'), 'numpy');
        }
      },
    };
  },
});
